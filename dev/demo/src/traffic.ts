import { seededRandom } from './random';
import type { DemoModel, DemoTenant } from './tenants';

export const DEMO_DAYS = 30;
const HOUR = 3_600_000;

/** One model's traffic in one hour, as the seed writes it to CloudWatch. */
export interface HourUsage {
  /** start of the hour */
  time: Date;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  /** invocations that streamed: the SampleCount of `TimeToFirstToken` (0 for a model never streamed) */
  streamingRequests: number;
  /** their mean time to first token, ms (0 without streaming requests) */
  ttftMs: number;
  clientErrors: number;
  serverErrors: number;
  throttles: number;
}

/** Start of the UTC hour `date` falls in. */
export const floorHour = (date: Date) =>
  new Date(Math.floor(date.getTime() / HOUR) * HOUR);

/** Busy during the (UTC) working day, quiet at night, a little lower at weekends. */
function diurnal(time: Date): number {
  const h = time.getUTCHours();
  const day = Math.max(0, Math.sin((Math.PI * (h - 6)) / 14));
  const weekend = [0, 6].includes(time.getUTCDay()) ? 0.55 : 1;
  return (0.08 + 0.92 * day) * weekend;
}

/**
 * Hourly traffic of one model of one tenant for the `DEMO_DAYS` days before `anchor` (the start
 * of the current hour, which is excluded). The values depend only on the tenant, the model and
 * how many hours before the anchor an hour is, so the same anchor always gives the same data.
 */
export function hourlyUsage(
  tenant: DemoTenant,
  model: DemoModel,
  anchor: Date,
): HourUsage[] {
  const rnd = seededRandom(`${tenant.tenantId}/${model.modelId}`);
  // a stream of its own, so the other figures are the same as before streaming was modelled
  const ttftRnd = seededRandom(`${tenant.tenantId}/${model.modelId}/ttft`);
  const end = floorHour(anchor).getTime();
  const hours = DEMO_DAYS * 24;
  const out: HourUsage[] = [];
  for (let i = hours; i >= 1; i--) {
    const time = new Date(end - i * HOUR);
    const noise = 0.8 + 0.4 * rnd();
    let load = diurnal(time) * noise;
    const hoursAgo = i;
    if (tenant.shape === 'busy' && hoursAgo >= 72 && hoursAgo < 76) load *= 6; // the spike
    if (tenant.shape === 'idle' && hoursAgo <= 12 * 24 + 5) load = 0;
    const invocations = Math.round(model.peakCallsPerHour * load);
    const tokenNoise = 0.85 + 0.3 * rnd();
    const errors = tenant.shape === 'errors';
    const peak = diurnal(time) > 0.8;
    const streamingRequests = Math.round(
      invocations * (model.streaming?.share ?? 0),
    );
    const ttftNoise = 0.75 + 0.5 * ttftRnd();
    out.push({
      time,
      invocations,
      inputTokens: Math.round(invocations * model.meanInputTokens * tokenNoise),
      outputTokens: Math.round(
        invocations * model.meanOutputTokens * (0.9 + 0.2 * rnd()),
      ),
      latencyMs: invocations
        ? Math.round(
            model.meanLatencyMs *
              (0.8 + 0.5 * rnd()) *
              (peak && errors ? 1.8 : 1),
          )
        : 0,
      streamingRequests,
      ttftMs:
        streamingRequests && model.streaming
          ? Math.round(
              model.streaming.meanTtftMs *
                ttftNoise *
                (peak && errors ? 1.6 : 1),
            )
          : 0,
      clientErrors: errors
        ? Math.round(invocations * 0.03 * rnd())
        : Math.round(invocations * 0.002 * rnd()),
      serverErrors: errors ? Math.round(invocations * 0.012 * rnd()) : 0,
      throttles:
        errors && peak ? Math.round(invocations * 0.05 * (0.5 + rnd())) : 0,
    });
  }
  return out;
}
