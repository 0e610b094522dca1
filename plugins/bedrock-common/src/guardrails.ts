/**
 * Name of a tenant's Bedrock guardrail in each of its regions. The backend looks for guardrails
 * of this name and accepts one only when its tags say the suite made it for that tenant.
 * Guardrail names allow 50 characters of [0-9a-zA-Z_-]: a tenant id has at most 32.
 */
export const defaultGuardrailName = (tenantId: string) => `bedrock-${tenantId}`;
