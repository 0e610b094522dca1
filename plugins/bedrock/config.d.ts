export interface Config {
  /** Settings of the Bedrock tenancy plugins. */
  bedrock?: {
    /** Frontend settings of the Bedrock tenancy plugin. */
    frontend?: {
      /**
       * How often the Bedrock tab reloads its data while open, in seconds. 0 turns auto-refresh
       * off. Defaults to 300.
       * @visibility frontend
       */
      autoRefreshSeconds?: number;
    };
  };
}
