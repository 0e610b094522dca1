/** True when an SDK error is one of the named AWS exceptions (or carries one of these codes). */
export function isAwsError(e: unknown, ...names: string[]): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as {
    name?: string;
    Code?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return names.some(n => err.name === n || err.Code === n || err.code === n);
}

/** Runs a read; a "not found" answer becomes undefined. */
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
