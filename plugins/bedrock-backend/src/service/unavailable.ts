import { ServiceUnavailableError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';

/** What a 503 asks the caller to wait, in seconds (the `Retry-After` header). */
export const RETRY_AFTER_SECONDS = 5;

/** Socket errors of a dependency that is down or restarting (PostgreSQL, the catalog). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * PostgreSQL SQLSTATEs of a server going away or not there yet: 57P01 admin_shutdown (a
 * restart), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up), class 08
 * connection_exception.
 */
const PG_CODES = /^(57P0[123]|08[0-9A-Z]{3})$/;

/** Messages of knex and node-postgres that carry no code. */
const MESSAGES = [
  /Timeout acquiring a connection/, // knex: the pool had no connection to give in time
  /Connection terminated/, // pg: the server closed the socket (restart, network cut)
  /Client has encountered a connection error/, // pg: a client whose socket failed
  /the database system is (starting up|shutting down|in recovery mode)/,
];

function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error; e && out.length < 5; e = (e as any).cause) {
    out.push(e);
    if (e instanceof AggregateError) out.push(...e.errors);
  }
  return out;
}

/**
 * Why a request failed when the cause is a dependency that is down, not the request nor a bug:
 * PostgreSQL unreachable or restarting, a service this plugin calls (the catalog) refusing
 * connections or answering 5xx. Undefined for every other error, which stays what it is.
 */
export function unavailableReason(error: unknown): string | undefined {
  for (const e of causes(error)) {
    if (!e || typeof e !== 'object') continue;
    const { code, name, message, statusCode } = e as Record<string, unknown>;
    if (name === ServiceUnavailableError.name) return String(message);
    if (typeof code === 'string' && SOCKET_CODES.has(code))
      return `a service the plugin depends on cannot be reached (${code})`;
    if (typeof code === 'string' && PG_CODES.test(code))
      return `the database is unavailable (${code})`;
    if (name === 'KnexTimeoutError')
      return 'the database gave no connection in time';
    if (typeof message === 'string' && MESSAGES.some(m => m.test(message)))
      return `the database is unavailable (${message})`;
    // @backstage/errors ResponseError: a backend service (the catalog) failed
    if (
      name === 'ResponseError' &&
      typeof statusCode === 'number' &&
      statusCode >= 500
    )
      return `a service the plugin depends on answered ${statusCode}`;
  }
  return undefined;
}

/** The error a request answers when `error` shows a dependency is down; undefined otherwise. */
export function asUnavailable(
  error: unknown,
): ServiceUnavailableError | undefined {
  const reason = unavailableReason(error);
  if (reason === undefined) return undefined;
  if ((error as Error)?.name === ServiceUnavailableError.name)
    return error as ServiceUnavailableError;
  return new ServiceUnavailableError(
    `Bedrock data is unavailable for a moment: ${reason}. Try again in ${RETRY_AFTER_SECONDS} s`,
    error,
  );
}

/**
 * Express error middleware for the plugin's router: a dependency that is down answers 503
 * with `Retry-After`, through Backstage's error handler (its error body). Every other error
 * passes unchanged, so a programming error stays a 500.
 */
export function unavailableErrors(): ErrorRequestHandler {
  return (error, _req, res, next) => {
    const mapped = asUnavailable(error);
    if (!mapped) {
      next(error);
      return;
    }
    if (!res.headersSent)
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    next(mapped);
  };
}
