// When to try a delivery again, and what a relay's answer means. Like ZoneMTA, the schedule is a
// table: multiples of the first delay (DELIVERY_FIRST_RETRY, 30 s by default), each with ±20%
// jitter so that a relay coming back is not hit by every queued copy at once.

/** Delay before retry n (n = 1 after the first failure), as a multiple of the first delay. */
export const RETRY_SCHEDULE = [1, 4, 20, 60, 120, 240, 480, 720] as const;
// With 30 s: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, then every 6 h until DELIVERY_MAX_AGE.

export const JITTER = 0.2;

export function retryDelayMs(failedAttempts: number, firstRetryMs: number, random: () => number = Math.random): number {
  const step = RETRY_SCHEDULE[Math.min(Math.max(failedAttempts, 1), RETRY_SCHEDULE.length) - 1];
  const jitter = 1 + (random() * 2 - 1) * JITTER;
  return Math.round(step * firstRetryMs * jitter);
}

export type AttemptOutcome = 'sent' | 'temporary' | 'permanent';

export interface RelayAnswer {
  outcome: AttemptOutcome;
  /** The relay's answer or the error, as one line for the attempt log. */
  response: string;
}

/** Connection-level failures (no SMTP answer at all) are always worth another try. */
const TEMPORARY_ERROR_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'EPROTOCOL']);

/** Reads a nodemailer error: 5xx is permanent, 4xx and connection failures are temporary. */
export function answerFromError(err: unknown): RelayAnswer {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = (e.response ?? `${e.code ?? 'ERROR'}: ${e.message ?? String(err)}`).replace(/\s+/g, ' ').trim();
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return { outcome: 'permanent', response: text };
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return { outcome: 'temporary', response: text };
  if (e.code && TEMPORARY_ERROR_CODES.has(e.code)) return { outcome: 'temporary', response: text };
  // Anything else (a bug, an unexpected error) is retried too: giving up is for the relay to say.
  return { outcome: 'temporary', response: text };
}
