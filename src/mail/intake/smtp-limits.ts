// The SMTP edge's limits, as data plus small pieces of state: how many sessions one address
// may hold open, how many mail transactions it may start a minute, how many recipients it may have
// refused before it is slowed down and cut off, and what a message header may hold. The counts
// live in this process's memory: N instances behind the MX records allow an address N times as
// much, which is still a bound (SECURITY.md).
import { clientKey } from '../../common/client-address';

export const HEADER_LIMITS = {
  /** Bytes of the header block, everything before the first empty line. Real registrar mail with DKIM, ARC and a dozen Received fields stays under 20 KB. */
  maxBytes: 64 * 1024,
  /** Header fields, continuation lines not counted. */
  maxFields: 1000,
  /**
   * `Received` fields. RFC 5321 §6.3: a loop-detecting server "SHOULD use a large rejection
   * threshold, normally at least 100". Above 30 the decide stage already holds the message as a
   * loop (loop.ts); above this one it is not even stored.
   */
  maxReceived: 100,
} as const;

/** RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients; each costs a lookup, so no more. */
export const MAX_RECIPIENTS = 100;

/**
 * How long shutting down waits for open sessions before answering them 421: shorter than the 30 s
 * most process managers allow between SIGTERM and SIGKILL, so a sender gets a 421, not a cut line.
 */
export const CLOSE_GRACE_MS = 15_000;

const MINUTE_MS = 60_000;

export type HeaderProblem = 'too-large' | 'too-many-fields' | 'too-many-hops';

/**
 * Reads a message's header block as the DATA stream goes by, without keeping any of it: it only
 * counts bytes, fields and `Received` fields, so the message is never held twice in memory. A
 * problem is known as soon as a limit is passed, so the receiver can stop holding the bytes.
 * The header block ends at the first empty line (RFC 5322 §2.1), CRLF or bare LF alike, as
 * mailparser reads it; a message without one is all header.
 */
export class HeaderInspector {
  problem: HeaderProblem | undefined;
  bytes = 0;
  fields = 0;
  received = 0;
  private ended = false;
  /** The first bytes of the current line, enough to tell a `Received:` field and an empty line. */
  private head = '';
  private lineLength = 0;

  constructor(private readonly limits: { maxBytes: number; maxFields: number; maxReceived: number } = HEADER_LIMITS) {}

  /** Whether the header block has been read to its end, or a limit stopped the reading. */
  get done(): boolean {
    return this.ended || this.problem !== undefined;
  }

  feed(chunk: Buffer): void {
    let pos = 0;
    while (!this.done && pos < chunk.length) {
      const lf = chunk.indexOf(0x0a, pos);
      const end = lf === -1 ? chunk.length : lf;
      if (this.head.length < 16) this.head += chunk.toString('latin1', pos, Math.min(end, pos + 16 - this.head.length));
      this.lineLength += end - pos;
      this.bytes += end - pos + (lf === -1 ? 0 : 1);
      if (lf === -1) {
        if (this.bytes > this.limits.maxBytes) this.problem = 'too-large';
        return;
      }
      this.endLine();
      pos = lf + 1;
    }
  }

  private endLine(): void {
    const empty = this.lineLength === 0 || (this.lineLength === 1 && this.head === '\r');
    if (empty) {
      this.ended = true;
      return;
    }
    if (this.bytes > this.limits.maxBytes) {
      this.problem = 'too-large';
      return;
    }
    // A line that opens with a space or a tab continues the field above it (folding, RFC 5322 §2.2.3).
    if (this.head[0] !== ' ' && this.head[0] !== '\t') {
      this.fields += 1;
      if (/^received[ \t]*:/i.test(this.head)) this.received += 1;
      if (this.fields > this.limits.maxFields) this.problem = 'too-many-fields';
      else if (this.received > this.limits.maxReceived) this.problem = 'too-many-hops';
    }
    this.head = '';
    this.lineLength = 0;
  }
}

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Per-address counts for the listener: open sessions, and the mail transactions started in the
 * last minute (a sliding window). An address is an IPv4 address or an IPv6 /64 (clientKey).
 */
export class AddressLimits {
  private readonly openSessions = new Map<string, number>();
  private readonly sessionAddress = new Map<string, string>();
  private readonly transactions = new Map<string, number[]>();
  private lastSweep: number;

  constructor(
    private readonly limits: { maxConnectionsPerAddress: number; messagesPerMinute: number },
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  /** Counts the session in, or says no when its address already holds the most it may. */
  openSession(sessionId: string, remoteAddress: string | undefined): boolean {
    const key = clientKey(remoteAddress);
    const open = this.openSessions.get(key) ?? 0;
    if (open >= this.limits.maxConnectionsPerAddress) return false;
    this.openSessions.set(key, open + 1);
    this.sessionAddress.set(sessionId, key);
    return true;
  }

  /** Safe for any session, counted or refused, and more than once. */
  closeSession(sessionId: string): void {
    const key = this.sessionAddress.get(sessionId);
    if (key === undefined) return;
    this.sessionAddress.delete(sessionId);
    const open = (this.openSessions.get(key) ?? 1) - 1;
    if (open > 0) this.openSessions.set(key, open);
    else this.openSessions.delete(key);
  }

  sessionsOpen(remoteAddress: string): number {
    return this.openSessions.get(clientKey(remoteAddress)) ?? 0;
  }

  /** A new mail transaction (MAIL FROM): counted when admitted; a refused one does not count. */
  startTransaction(remoteAddress: string | undefined): Admission {
    const now = this.now();
    if (now - this.lastSweep >= MINUTE_MS) this.sweep(now);
    const key = clientKey(remoteAddress);
    const since = now - MINUTE_MS;
    const started = (this.transactions.get(key) ?? []).filter((t) => t > since);
    if (started.length >= this.limits.messagesPerMinute) {
      this.transactions.set(key, started);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((started[0] + MINUTE_MS - now) / 1000)) };
    }
    started.push(now);
    this.transactions.set(key, started);
    return { ok: true };
  }

  /** Forgets addresses that started nothing in the last minute, so the map does not grow without end. */
  sweep(now = this.now()): void {
    this.lastSweep = now;
    const since = now - MINUTE_MS;
    for (const [key, started] of this.transactions) {
      if (started[started.length - 1] <= since) this.transactions.delete(key);
    }
  }

  /** How many addresses the rate window remembers (for tests of the sweep). */
  get trackedAddresses(): number {
    return this.transactions.size;
  }
}

/** How refused recipients are counted, from the configuration (SMTP_RCPT_*). */
export interface RecipientErrorLimits {
  /** Refused recipients a session may have before each further RCPT reply is held back. */
  softErrors: number;
  /** Refused recipients after which the session's next RCPT is answered 421 and the session ends. */
  hardErrors: number;
  /** How long each RCPT reply is held back past the soft limit. */
  errorDelayMs: number;
  /** Refused recipients one address may have in an hour, over all its sessions. */
  errorsPerHour: number;
}

const HOUR_MS = 60 * MINUTE_MS;

/**
 * How many addresses the hourly count remembers at most. Each holds at most `errorsPerHour`
 * timestamps, so 50,000 addresses at the default of 30 are about 12 MB at worst; past this the
 * address whose last refusal is oldest is forgotten first.
 */
export const MAX_RECIPIENT_ERROR_ADDRESSES = 50_000;

export type RecipientAdmission =
  { ok: true } | { ok: false; reason: 'session'; limit: number } | { ok: false; reason: 'address'; limit: number; retryAfterSeconds: number };

/**
 * Refused recipients (550 5.1.1), counted per session and per address, so that nobody can find out
 * which domains the host tracks by trying `<guess>@MAIL_DOMAIN` one RCPT after another (the alias
 * of a tracked domain is accepted, any other refused). Postfix's model: past
 * `smtpd_soft_error_limit` every reply waits `smtpd_error_sleep_time`, at `smtpd_hard_error_limit`
 * the session ends with 421. Across sessions the address's refusals in the last hour count too
 * (a sliding window, like the transactions of AddressLimits), so opening a new session does not
 * start the count again. The memory kept is bounded: sessions only while open, addresses at most
 * MAX_RECIPIENT_ERROR_ADDRESSES with at most `errorsPerHour` timestamps each.
 */
export class RecipientErrors {
  private readonly bySession = new Map<string, number>();
  /** Refusal times per address, oldest first; the map in order of last refusal, oldest first. */
  private readonly byAddress = new Map<string, number[]>();
  private lastSweep: number;

  constructor(
    private readonly limits: RecipientErrorLimits,
    private readonly now: () => number = Date.now,
    private readonly maxAddresses = MAX_RECIPIENT_ERROR_ADDRESSES,
  ) {
    this.lastSweep = now();
  }

  /** A session that may make RCPTs: counted from now until endSession. */
  openSession(sessionId: string): void {
    if (!this.bySession.has(sessionId)) this.bySession.set(sessionId, 0);
  }

  /** At connect: an address that has used up its refused recipients for the hour is turned away. */
  admitAddress(remoteAddress: string | undefined): RecipientAdmission {
    const now = this.now();
    const times = this.recent(clientKey(remoteAddress), now);
    if (times.length < this.limits.errorsPerHour) return { ok: true };
    const retryAfterSeconds = Math.max(1, Math.ceil((times[times.length - this.limits.errorsPerHour] + HOUR_MS - now) / 1000));
    return { ok: false, reason: 'address', limit: this.limits.errorsPerHour, retryAfterSeconds };
  }

  /** Before a RCPT TO is looked up: whether the session may go on at all. */
  admit(sessionId: string, remoteAddress: string | undefined): RecipientAdmission {
    if ((this.bySession.get(sessionId) ?? 0) >= this.limits.hardErrors) return { ok: false, reason: 'session', limit: this.limits.hardErrors };
    return this.admitAddress(remoteAddress);
  }

  /**
   * A recipient was refused: counted for its address, and for its session while that is open (a
   * lookup may end after its session has, and must not bring the count back).
   */
  refused(sessionId: string, remoteAddress: string | undefined): void {
    const inSession = this.bySession.get(sessionId);
    if (inSession !== undefined) this.bySession.set(sessionId, inSession + 1);
    const now = this.now();
    if (now - this.lastSweep >= MINUTE_MS) this.sweep(now);
    const key = clientKey(remoteAddress);
    const times = this.recent(key, now);
    times.push(now);
    // Only whether the limit is reached, and when its oldest refusal leaves the window, matter.
    if (times.length > this.limits.errorsPerHour) times.splice(0, times.length - this.limits.errorsPerHour);
    // Re-inserted, so the map stays ordered by last refusal and the first key is the one to forget.
    this.byAddress.delete(key);
    this.byAddress.set(key, times);
    while (this.byAddress.size > this.maxAddresses) this.byAddress.delete(this.byAddress.keys().next().value!);
  }

  /** How long to hold back the reply to this session's RCPT TO: nothing up to the soft limit. */
  replyDelayMs(sessionId: string): number {
    return (this.bySession.get(sessionId) ?? 0) > this.limits.softErrors ? this.limits.errorDelayMs : 0;
  }

  /** Refused recipients of an open session so far. */
  sessionErrors(sessionId: string): number {
    return this.bySession.get(sessionId) ?? 0;
  }

  /** Safe for any session, and more than once. */
  endSession(sessionId: string): void {
    this.bySession.delete(sessionId);
  }

  /** Forgets addresses with no refusal in the last hour. */
  sweep(now = this.now()): void {
    this.lastSweep = now;
    for (const [key, times] of this.byAddress) {
      if (times.length === 0 || times[times.length - 1] <= now - HOUR_MS) this.byAddress.delete(key);
    }
  }

  /** How many addresses the hourly count remembers (for tests of the bound). */
  get trackedAddresses(): number {
    return this.byAddress.size;
  }

  /** How many sessions have a count (for tests: none once they end). */
  get trackedSessions(): number {
    return this.bySession.size;
  }

  /** The address's refusals within the last hour (the stored array, trimmed in place). */
  private recent(key: string, now: number): number[] {
    const times = this.byAddress.get(key);
    if (!times) return [];
    const since = now - HOUR_MS;
    let old = 0;
    while (old < times.length && times[old] <= since) old++;
    if (old > 0) times.splice(0, old);
    return times;
  }
}
