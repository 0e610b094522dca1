/**
 * True when an error is one of the named AWS exceptions. The SDK names every service exception
 * after its error code (`NoSuchEntity`, `NotFoundException`, S3's `NotFound`), so the name is the
 * one thing to match on.
 *
 * @public
 */
export function isAwsError(e: unknown, ...names: string[]): boolean {
  if (!e || typeof e !== 'object') return false;
  return names.includes((e as { name?: string }).name ?? '');
}

/**
 * Runs a read; one of the named "not found" errors becomes undefined.
 *
 * @public
 */
export async function orUndefined<T>(
  read: () => Promise<T>,
  ...notFound: string[]
): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (isAwsError(e, ...notFound)) return undefined;
    throw e;
  }
}
