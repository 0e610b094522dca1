import { ResponseError } from '@backstage/errors';

/** HTTP status of a failed backend call, if it was one. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.statusCode;
  if (error && typeof error === 'object' && 'statusCode' in error) {
    const status = (error as { statusCode: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** The backend's own message of a failed call, or the error's. */
export function messageOf(error: Error): string {
  if (error instanceof ResponseError)
    return error.body?.error?.message || error.message;
  return error.message;
}

/** The backend's error name of a failed call (e.g. UnverifiedTenantError), if it was one. */
export function nameOf(error: unknown): string | undefined {
  if (error instanceof ResponseError) return error.body?.error?.name;
  return undefined;
}
