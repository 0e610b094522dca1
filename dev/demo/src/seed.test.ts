import { MotoServer, startMoto } from '@bedrock-tenancy/aws-emulator';
import { seedDemo } from './seed';
import { seededTtftByModel } from './expected';
import { DEMO_TENANTS } from './tenants';
import { hourlyUsage } from './traffic';

const ANCHOR = new Date('2026-11-20T15:00:00Z');
/** Fields moto fills with the time of the call, and so differ between two runs. */
const VOLATILE =
  /time|date|stamp|updated|created|token|secret|accesskey|arn$|^event_id$/i;

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !VOLATILE.test(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

async function snapshot(endpoint: string) {
  const res = await fetch(`${endpoint}/moto-api/data.json`);
  const data = await res.json();
  return stable({
    budgets: data.budgets,
    cloudwatch: data.cloudwatch,
    logs: data.logs,
    bedrock: data.bedrock,
  });
}

describe('seedDemo', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(() => moto?.stop());

  // two full seedings: about a minute alone, more beside other suites on two cores
  it('gives identical emulator state when run twice with the same anchor', async () => {
    const first = await seedDemo({ endpoint: moto.endpoint, anchor: ANCHOR });
    const a = await snapshot(moto.endpoint);
    const second = await seedDemo({ endpoint: moto.endpoint, anchor: ANCHOR });
    const b = await snapshot(moto.endpoint);
    expect(second).toEqual(first);
    expect(b).toEqual(a);
    // and it really seeded something: 30 days of hourly data for the tenants with metrics
    // TimeToFirstToken is written as statistic sets (one per streaming hour), which moto
    // keeps apart from single values
    const { MetricDatum: data, MetricAggregatedDatum: sets } = (a as any)
      .cloudwatch;
    const streamingHours = DEMO_TENANTS.filter(
      t => t.attribution !== 'identity',
    ).flatMap(t =>
      t.models.flatMap(m =>
        hourlyUsage(t, m, ANCHOR).filter(h => h.streamingRequests > 0),
      ),
    );
    expect(streamingHours.length).toBeGreaterThan(0);
    expect(sets.length).toBe(streamingHours.length);
    expect(data.length + sets.length).toBe(first.datapoints);
    expect(first.datapoints).toBeGreaterThan(30_000);
    // an identity tenant gets no alarms: AWS/Bedrock metrics do not name the caller
    expect(first.alarms).toBe(
      DEMO_TENANTS.filter(t => t.attribution !== 'identity').length * 5,
    );
  }, 120_000);

  it('generates the same traffic for the same anchor, and the idle tenant is idle', () => {
    const busy = DEMO_TENANTS.find(t => t.shape === 'busy')!;
    const idle = DEMO_TENANTS.find(t => t.shape === 'idle')!;
    expect(hourlyUsage(busy, busy.models[0], ANCHOR)).toEqual(
      hourlyUsage(busy, busy.models[0], ANCHOR),
    );
    const idleHours = hourlyUsage(idle, idle.models[0], ANCHOR);
    expect(idleHours).toHaveLength(30 * 24);
    const lastTenDays = idleHours.slice(-10 * 24);
    expect(lastTenDays.every(h => h.invocations === 0)).toBe(true);
    expect(idleHours.slice(0, 24).some(h => h.invocations > 0)).toBe(true);
  }, 300_000);

  it('streams some models and not others, and weighs time to first token by requests', () => {
    const from = new Date(ANCHOR.getTime() - 30 * 86_400_000);
    const ttft = Object.fromEntries(
      DEMO_TENANTS.map(t => [
        t.tenantId,
        seededTtftByModel(t, ANCHOR, from, ANCHOR),
      ]),
    );
    // a tenant with no streaming traffic at all, and one streamed model beside one never streamed
    expect(
      Object.values(ttft['search-ranker']).every(m => m.ttftAvgMs === null),
    ).toBe(true);
    const checkout = Object.values(ttft['checkout-assistant']);
    expect(checkout.filter(m => m.ttftAvgMs === null)).toHaveLength(1);
    expect(checkout.filter(m => m.streamingRequests > 0)).toHaveLength(2);
    // the helper's mean is over requests: recomputed here from the hours
    const docs = DEMO_TENANTS.find(t => t.tenantId === 'docs-summarizer')!;
    const hours = hourlyUsage(docs, docs.models[0], ANCHOR);
    const requests = hours.reduce((n, h) => n + h.streamingRequests, 0);
    const ms = hours.reduce((n, h) => n + h.streamingRequests * h.ttftMs, 0);
    expect(Object.values(ttft['docs-summarizer'])).toEqual([
      { streamingRequests: requests, ttftAvgMs: ms / requests },
    ]);
    // every call of the docs summarizer streams
    expect(requests).toBe(hours.reduce((n, h) => n + h.invocations, 0));
  });
});
