export interface Config {
  /** Settings of this example portal (not of the plugin suite). */
  portal?: {
    /**
     * Group refs whose members may read every entity's Bedrock usage and cost, e.g.
     * `group:default/platform`. Everybody else sees only the entities their groups own.
     */
    bedrockAdminGroups?: string[];
  };
}
