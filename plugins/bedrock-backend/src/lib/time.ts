export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** How long CloudWatch keeps hourly datapoints: the furthest back the suite reads or lets a query ask. */
export const CLOUDWATCH_HOURLY_RETENTION_DAYS = 455;

export const floorHour = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
export const iso = (t: number) => new Date(t).toISOString();

/** [from, to) cut into windows of at most `hours` hours. */
export function windows(
  from: number,
  to: number,
  hours: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = from; s < to; s += hours * HOUR_MS)
    out.push([s, Math.min(to, s + hours * HOUR_MS)]);
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}
