export interface Config {
  /** Settings of the bedrock backend plugin. */
  bedrock?: {};
}
