import type {
  GuardrailInfo,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { Snapshot } from '../database/types';

/**
 * The tenant's guardrails from its per-region snapshots: unavailable until every region was
 * collected, an error when one could not be read; regions without a guardrail are left out.
 */
export function guardrailSection(
  snaps: Array<Snapshot<GuardrailInfo | null> | undefined>,
): Section<GuardrailInfo[]> {
  if (!snaps.every(Boolean)) {
    return { status: 'unavailable', message: 'Guardrails not collected yet' };
  }
  const failed = snaps.find(s => s!.error);
  if (failed) {
    return {
      status: 'error',
      message: `Guardrails could not be read from AWS: ${failed.error}`,
    };
  }
  return {
    status: 'ok',
    data: snaps.flatMap(s => (s!.payload ? [s!.payload] : [])),
  };
}
