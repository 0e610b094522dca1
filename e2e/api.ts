import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  EntitySummary,
  GroupRollup,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { BACKEND_URL } from './browser';

/** A token of the demo guest, as the browser gets it after "Enter". */
export async function guestToken(): Promise<string> {
  const res = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in failed: HTTP ${res.status}`);
  const body = await res.json();
  return body.backstageIdentity.token;
}

/** A token of Grace (team-support, not an admin): the local portal's second sign-in. */
export async function memberToken(): Promise<string> {
  const res = await fetch(`${BACKEND_URL}/api/auth/guest-member/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`member sign-in failed: HTTP ${res.status}`);
  const body = await res.json();
  if (body.backstageIdentity.identity.userEntityRef !== 'user:default/grace')
    throw new Error(
      `the member sign-in is ${body.backstageIdentity.identity.userEntityRef}, not user:default/grace`,
    );
  return body.backstageIdentity.token;
}

export async function getJson<T>(path: string, token: string): Promise<T> {
  const res = await fetch(`${BACKEND_URL}/api/bedrock${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok)
    throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const summary = (name: string, query: string, token: string) =>
  getJson<EntitySummary>(
    `/entity/component/default/${name}/summary?${query}`,
    token,
  );

export const rollup = (group: string, query: string, token: string) =>
  getJson<GroupRollup>(`/group/default/${group}/rollup?${query}`, token);

/** The hour the running emulator's demo data ends at, from the emulator's log. */
export function seededAnchor(): Date {
  const log = readFileSync(
    resolve(__dirname, '../artifacts/emulator.log'),
    'utf8',
  );
  const m = /up to (\S+Z)/.exec(log);
  if (!m)
    throw new Error(
      'artifacts/emulator.log does not say up to when the demo was seeded',
    );
  return new Date(m[1]);
}

/** Waits until the backend has collected every demo tenant's usage (first cycle after start). */
export async function waitForCollection(
  names: string[],
  token: string,
  timeoutMs = 300_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending: string[] = [];
    for (const name of names) {
      const s = await summary(name, 'range=30d', token).catch(() => undefined);
      if (!s?.freshness.lastCollectedAt) pending.push(name);
    }
    if (!pending.length) return;
    if (Date.now() > deadline)
      throw new Error(`not collected in time: ${pending.join(', ')}`);
    await new Promise(r => setTimeout(r, 3000));
  }
}
