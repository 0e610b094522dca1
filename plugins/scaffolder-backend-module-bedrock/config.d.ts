export interface Config {
  /** Settings of the bedrock scaffolder actions. */
  bedrockScaffolder?: {};
}
