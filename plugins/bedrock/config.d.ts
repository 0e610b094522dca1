export interface Config {
  /** Frontend settings of the Bedrock tenancy plugin. */
  bedrock?: {};
}
