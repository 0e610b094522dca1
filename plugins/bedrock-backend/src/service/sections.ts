import type {
  GovernanceInfo,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { Snapshot } from '../database/types';

/** One panel from one snapshot: unavailable until collected, an error as AWS reported it. */
export function section<T, R>(
  snap: Snapshot<T> | undefined,
  what: string,
  map: (payload: T | null) => R,
): Section<R> {
  if (!snap)
    return { status: 'unavailable', message: `${what} not collected yet` };
  if (snap.error)
    return {
      status: 'error',
      message: `${what} could not be read from AWS: ${snap.error}`,
    };
  try {
    return { status: 'ok', data: map(snap.payload) };
  } catch (e) {
    return { status: 'error', message: `${what}: ${(e as Error).message}` };
  }
}

export function governanceSection(
  snaps: Array<Snapshot<GovernanceInfo> | undefined>,
): Section<GovernanceInfo[]> {
  if (!snaps.every(Boolean)) {
    return {
      status: 'unavailable',
      message: 'Invocation logging settings not collected yet',
    };
  }
  const failed = snaps.find(s => s!.error);
  if (failed) {
    return {
      status: 'error',
      message: `Invocation logging settings could not be read from AWS: ${failed.error}`,
    };
  }
  return {
    status: 'ok',
    data: snaps.flatMap(s => (s!.payload ? [s!.payload] : [])),
  };
}
