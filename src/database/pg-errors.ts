// What a PostgreSQL (or connection) error says about its cause, read in one place: the API answers
// 503 when the database is away, and routing retries then but holds a message whose own data the
// database refuses.

/** The SQLSTATE of an error from pg or TypeORM (QueryFailedError keeps pg's in driverError), or undefined. */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The database refused the data (classes 22, 23, 54: 22P05, 22021, 23505…): the same data fails again. */
export function isDataRefused(err: unknown): boolean {
  return /^(?:22|23|54)/.test(sqlState(err) ?? '');
}

/**
 * The error is about the database, not the request: no connection, connection lost, the server
 * shutting down or out of resources (classes 08, 53, 57, 58). Retrying later can succeed.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return /^(?:08|53|57|58)/.test(state);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  const message = err instanceof Error ? err.message : String(err);
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connection.*(?:closed|ended)|timeout exceeded when trying to connect/i.test(message);
}
