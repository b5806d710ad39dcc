// The one typed, validated configuration object; config/environment.ts feeds it process.env. No
// setting is read anywhere else (worker-processes.ts reads only its own child marker, and main.ts
// hands the environment on to the worker children it forks).
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';

export type SenderVerification = 'off' | 'flag' | 'enforce';
export type AsterRole = 'api' | 'smtp' | 'worker';

export interface AsterConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  http: HttpSettings;
  smtp: SmtpSettings;
  mailDomain: string;
  adminMailbox: string;
  relayUrl: string | undefined;
  noticeFrom: string;
  adminToken: string | undefined;
  senderVerification: SenderVerification;
  /** With `flag`, an unverified message naming more clients than this is held (MAX_CLIENTS_PER_UNVERIFIED). */
  maxClientsPerUnverified: number;
  dnsServers: string[];
  /** How long sender verification waits for DNS: each look-up, and all of one message's checks together. */
  dnsTimeoutMs: number;
  maxMessageBytes: number;
  publicUrl: string;
  staffEmail: string | undefined;
  /** How long a delivery is retried before it is marked failed, in milliseconds. */
  deliveryMaxAgeMs: number;
  /** Delay before the first retry of a delivery; later retries are multiples of it (retry.ts). */
  deliveryFirstRetryMs: number;
  roles: AsterRole[];
  /** Child processes that run the `worker` role (0: in this process); see database/worker-processes.ts. */
  workerProcesses: number;
  logLevel: string;
  /** From when ICANN's revised Transfer Policy applies (YYYY-MM-DD); unset until ICANN announces it. */
  revisedTransferPolicyFrom: string | undefined;
  /** The host's own nameservers (`*.example.net` for all under it): guidance warns when DNS is hosted there. */
  hostNameservers: string[];
  /** The registry watch (src/watch): where RDAP servers are, how often and how fast to ask them. */
  rdap: RdapSettings;
}

/** RDAP_* and EXPIRY_REMINDER_DAYS (README, "Registry watch"). */
export interface RdapSettings {
  /** Path or http(s) URL of an IANA-format dns.json; undefined: the dated copy in src/watch. */
  bootstrap: string | undefined;
  /** Per-TLD (or per-suffix) base URLs that add to or override the bootstrap, lowercase keys without dots at the ends. */
  servers: Record<string, string>;
  /** How often each domain is checked; null (`off`): no schedule, checks only on request. */
  syncIntervalMs: number | null;
  /** Requests per second to one RDAP host. */
  ratePerSecond: number;
  /** How long one RDAP request may take. */
  timeoutMs: number;
  /** First wait before retrying a 5xx or a lost connection; doubled each time. */
  retryDelayMs: number;
  /** Days before expiry at which reminders go out, largest first. */
  expiryReminderDays: number[];
}

/** The REST API's door: where it listens and how much it lets one caller do (SECURITY.md). */
export interface HttpSettings {
  host: string;
  port: number;
  /** Requests a minute from one address without a bearer token (IPv6: one /64), e.g. guidance pages. */
  ratePerMinute: number;
  /** Requests a minute with one bearer token. */
  tokenRatePerMinute: number;
  /** Different wrong bearer tokens one address may present in a minute before it is locked out for a minute. */
  authFailuresPerMinute: number;
  /** Browser origins allowed to call the API (CORS); none unless configured. */
  corsOrigins: string[];
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe; unset when Aster faces clients itself. */
  trustProxy: number | string[] | undefined;
}

/** The SMTP listener's door: where it listens, its limits (mail/intake/smtp-limits.ts) and STARTTLS. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Open sessions in total (smtp-server `maxClients`). */
  maxConnections: number;
  /** Open sessions from one address (IPv6: one /64). */
  maxConnectionsPerAddress: number;
  /** Mail transactions (MAIL FROM) one address may start in a minute. */
  messagesPerMinute: number;
  /** How long a session may wait for the client's next bytes (smtp-server `socketTimeout`). */
  idleTimeoutMs: number;
  /** How long one session may last at all, however busy it keeps itself. */
  sessionTimeoutMs: number;
  /** How long a new connection waits for its greeting (a client that talks first is refused); 0: at once. */
  greetPauseMs: number;
  /** Refused recipients (550 5.1.1), so the tracked domains cannot be enumerated (RecipientErrors, mail/intake/smtp-limits.ts). */
  recipientErrors: RecipientErrorSettings;
  /** PEM files for STARTTLS; STARTTLS is neither offered nor accepted without them. */
  tls: { certFile: string; keyFile: string } | undefined;
}

/** Postfix's smtpd_soft_error_limit / smtpd_hard_error_limit / smtpd_error_sleep_time, for refused recipients. */
export interface RecipientErrorSettings {
  /** Refused recipients a session may have before each further RCPT reply waits `errorDelayMs`. */
  softErrors: number;
  /** Refused recipients after which the session's next RCPT gets 421 4.7.0 and the session ends. */
  hardErrors: number;
  errorDelayMs: number;
  /** Refused recipients one address may have in an hour over all its sessions; then 421 4.7.0. */
  errorsPerHour: number;
}

/**
 * A configuration value that does not have the expected form: one line per wrong variable
 * (`problems`), so that a newcomer fixes them all in one go.
 */
export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];

  constructor(variable: string, expected: string, got: string);
  constructor(problems: { variable: string; message: string }[]);
  constructor(variableOrProblems: string | { variable: string; message: string }[], expected?: string, got?: string) {
    const problems =
      typeof variableOrProblems === 'string'
        ? [{ variable: variableOrProblems, message: `Invalid ${variableOrProblems}=${JSON.stringify(got)}: expected ${expected}` }]
        : variableOrProblems;
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const LOCAL_PART = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/i;
const EMAIL = /^[^\s@<>()",;]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const NAME_ADDR = /^\s*(?:"?([^"<]*)"?\s*)?<([^<>\s]+@[^<>\s]+)>\s*$/;

function value(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function port(env: Env, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new ConfigError(name, 'a TCP port number from 0 to 65535', v);
  return Number(v);
}

function host(env: Env, name: string, fallback: string): string {
  const v = value(env, name) ?? fallback;
  const ip4 = /^(\d{1,3})(\.\d{1,3}){3}$/.test(v) && v.split('.').every((o) => Number(o) <= 255);
  if (!ip4 && !HOSTNAME.test(v) && !/^[0-9a-f:]+$/i.test(v)) {
    throw new ConfigError(name, 'a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0', v);
  }
  return v;
}

function url(env: Env, name: string, protocols: string[], example: string): string | undefined {
  const v = value(env, name);
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(name, `a URL such as ${example}`, v);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `a URL such as ${example}`, v);
  return v;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new ConfigError(name, 'a positive whole number of bytes', v);
  return Number(v);
}

function milliseconds(env: Env, name: string, fallback: number, max: number, min = 1): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new ConfigError(name, `a whole number of milliseconds from ${min} to ${max}`, v);
  return Number(v);
}

function count(env: Env, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new ConfigError(name, 'a positive whole number', v);
  return Number(v);
}

function processCount(env: Env, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) > 16) throw new ConfigError(name, 'a whole number of processes from 0 to 16', v);
  return Number(v);
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(env: Env, name: string, fallback: string): number {
  const v = value(env, name) ?? fallback;
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(v);
  if (!m || Number(m[1]) < 1) throw new ConfigError(name, 'a duration such as 90s, 30m, 72h or 3d', v);
  return Number(m[1]) * DURATION_UNITS[m[2]];
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, v);
  return v as T;
}

function dnsServers(env: Env): string[] {
  const v = value(env, 'DNS_SERVERS');
  if (v === undefined) return [];
  const servers = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of servers) {
    const m = /^(?:\[([0-9a-f:]+)\]|([0-9.]+|[0-9a-f:]+))(?::(\d+))?$/i.exec(s);
    if (!m || (m[3] !== undefined && Number(m[3]) > 65535)) {
      throw new ConfigError('DNS_SERVERS', 'comma-separated IP addresses with optional ports, e.g. 127.0.0.1:5353', v);
    }
  }
  return servers;
}

function mailbox(env: Env, name: string, fallback: string): string {
  const v = value(env, name) ?? fallback;
  const m = NAME_ADDR.exec(v);
  const address = m ? m[2] : v;
  if (!EMAIL.test(address)) throw new ConfigError(name, 'an e-mail address, optionally as "Name <address@example.com>"', v);
  return v;
}

function isoDay(env: Env, name: string): string | undefined {
  const v = value(env, name);
  if (v === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
  if (!ok) throw new ConfigError(name, 'a date written YYYY-MM-DD', v);
  return v;
}

function hostList(env: Env, name: string): string[] {
  const v = value(env, name);
  if (v === undefined) return [];
  const hosts = v
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const h of hosts) {
    if (!HOSTNAME.test(h.replace(/^\*\./, ''))) throw new ConfigError(name, 'comma-separated host names, e.g. ns1.example.net,*.example.net', v);
  }
  return hosts;
}

function origins(env: Env, name: string): string[] {
  const v = value(env, name);
  if (v === undefined) return [];
  const list = v
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of list) {
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = undefined;
    }
    // An origin is scheme://host[:port] and nothing else; `*` is refused on purpose.
    if (origin !== o.replace(/\/$/, '') || !/^https?:/.test(o)) {
      throw new ConfigError(name, 'comma-separated origins such as https://admin.example.com (scheme, host and port only)', v);
    }
  }
  return list.map((o) => o.replace(/\/$/, ''));
}

/** `TRUST_PROXY`: a number of proxy hops, or the proxies' addresses, subnets or Express's keywords. */
function trustProxy(env: Env): number | string[] | undefined {
  const v = value(env, 'TRUST_PROXY');
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v) && Number(v) <= 10) return Number(v);
  const list = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const ok = list.length > 0 && list.every((p) => ['loopback', 'linklocal', 'uniquelocal'].includes(p) || isSubnet(p));
  if (!ok)
    throw new ConfigError('TRUST_PROXY', 'a number of proxy hops (1 to 10), or comma-separated proxy addresses or subnets such as 10.0.0.0/8,loopback', v);
  return list;
}

function isSubnet(text: string): boolean {
  const [address, bits, extra] = text.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/**
 * Registrars write only to addresses they have on file, so a refused recipient from a real one is
 * rare (a domain that has left the host): three go unnoticed, ten end the session (Postfix allows
 * 10 and 20 errors of any kind). Thirty an hour from one address, over all its sessions, keeps a
 * guesser to 720 guesses a day per address instead of tens of thousands a minute; a real MTA cut off
 * by it gets a 4xx and retries after the hour. One second is Postfix's smtpd_error_sleep_time.
 */
function recipientErrors(env: Env): RecipientErrorSettings {
  const softErrors = count(env, 'SMTP_RCPT_SOFT_ERRORS', 3);
  const hardErrors = count(env, 'SMTP_RCPT_HARD_ERRORS', 10);
  if (hardErrors <= softErrors) {
    throw new ConfigError('SMTP_RCPT_HARD_ERRORS', `a whole number above SMTP_RCPT_SOFT_ERRORS (${softErrors})`, String(hardErrors));
  }
  return {
    softErrors,
    hardErrors,
    // Below the 5 minutes a sender waits for a RCPT reply (RFC 5321 §4.5.3.2.3).
    errorDelayMs: milliseconds(env, 'SMTP_RCPT_ERROR_DELAY_MS', 1000, 60_000),
    errorsPerHour: count(env, 'SMTP_RCPT_ERRORS_PER_HOUR', 30),
  };
}

function tlsFiles(env: Env): SmtpSettings['tls'] {
  const certFile = value(env, 'TLS_CERT');
  const keyFile = value(env, 'TLS_KEY');
  if (certFile === undefined && keyFile === undefined) return undefined;
  // Names the variable that is set, and says which one is missing.
  if (keyFile === undefined) throw new ConfigError('TLS_CERT', 'TLS_KEY as well (the PEM private key of this certificate)', certFile!);
  if (certFile === undefined) throw new ConfigError('TLS_KEY', 'TLS_CERT as well (the PEM certificate of this key)', keyFile);
  return { certFile, keyFile };
}

function rdapServers(env: Env): Record<string, string> {
  const v = value(env, 'RDAP_SERVERS');
  if (v === undefined) return {};
  const servers: Record<string, string> = {};
  for (const entry of v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^\.?([a-z0-9.-]+?)\.?=(.+)$/i.exec(entry);
    let ok = false;
    if (m) {
      try {
        ok = ['http:', 'https:'].includes(new URL(m[2]).protocol);
      } catch {
        ok = false;
      }
    }
    if (!m || !ok)
      throw new ConfigError('RDAP_SERVERS', 'comma-separated tld=URL pairs, e.g. de=https://rdap.denic.de/,io=https://rdap.identitydigital.services/rdap/', v);
    servers[m[1].toLowerCase()] = m[2].endsWith('/') ? m[2] : `${m[2]}/`;
  }
  return servers;
}

function rdapSettings(env: Env): RdapSettings {
  const bootstrap = value(env, 'RDAP_BOOTSTRAP');
  const interval = value(env, 'RDAP_SYNC_INTERVAL');
  const rate = value(env, 'RDAP_RATE_PER_SECOND');
  if (rate !== undefined && (!/^\d+(\.\d+)?$/.test(rate) || Number(rate) <= 0 || Number(rate) > 1000)) {
    throw new ConfigError('RDAP_RATE_PER_SECOND', 'a number of requests per second above 0, e.g. 1 or 0.5', rate);
  }
  const days = value(env, 'EXPIRY_REMINDER_DAYS') ?? '60,30,7,1';
  const list = days
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  if (list.length === 0 || !list.every((d) => /^\d+$/.test(d) && Number(d) >= 1 && Number(d) <= 366)) {
    throw new ConfigError('EXPIRY_REMINDER_DAYS', 'comma-separated whole numbers of days from 1 to 366, e.g. 60,30,7,1', days);
  }
  return {
    bootstrap,
    servers: rdapServers(env),
    syncIntervalMs: interval?.toLowerCase() === 'off' ? null : duration(env, 'RDAP_SYNC_INTERVAL', '24h'),
    ratePerSecond: rate === undefined ? 1 : Number(rate),
    timeoutMs: milliseconds(env, 'RDAP_TIMEOUT_MS', 10_000, 120_000),
    retryDelayMs: milliseconds(env, 'RDAP_RETRY_DELAY_MS', 2000, 600_000),
    expiryReminderDays: [...new Set(list.map(Number))].sort((a, b) => b - a),
  };
}

/** Reads and checks every variable of the Contract table; throws ConfigError on the first bad one. */
/**
 * The configuration from the environment. Every wrong variable is reported at once: a value found
 * wrong is left out and the rest read again (with that variable at its default), until nothing more
 * is wrong; then one ConfigError lists them all, or the configuration is returned.
 */
export function parseConfig(env: Env, cwd = process.cwd()): AsterConfig {
  const problems: ConfigError['problems'] = [];
  const remaining: Env = { ...env };
  for (;;) {
    let config: AsterConfig;
    try {
      config = parseOnce(remaining, cwd);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const [problem] = err.problems;
      problems.push(problem);
      // A rule between two variables can name one that is not set: nothing left to leave out.
      if (remaining[problem.variable] === undefined) throw new ConfigError(problems);
      delete remaining[problem.variable];
      continue;
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
  }
}

function parseOnce(env: Env, cwd: string): AsterConfig {
  const mailDomain = (value(env, 'MAIL_DOMAIN') ?? 'notify.localhost').toLowerCase();
  if (!HOSTNAME.test(mailDomain) || !mailDomain.includes('.')) {
    throw new ConfigError('MAIL_DOMAIN', 'a domain name such as notify.example.com', mailDomain);
  }
  const adminMailbox = value(env, 'ADMIN_MAILBOX') ?? 'domains';
  if (!LOCAL_PART.test(adminMailbox)) {
    throw new ConfigError('ADMIN_MAILBOX', 'the local part of an address (letters, digits, . _ + -), e.g. domains', adminMailbox);
  }
  const dataDir = value(env, 'ASTER_DATA_DIR') ?? './.aster';
  const adminToken = value(env, 'ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('ADMIN_TOKEN', 'a secret of at least 16 characters', '<hidden>');
  }
  const staffEmail = value(env, 'STAFF_EMAIL');
  if (staffEmail !== undefined && !EMAIL.test(staffEmail)) {
    throw new ConfigError('STAFF_EMAIL', 'an e-mail address such as staff@example.com', staffEmail);
  }
  const roles = (value(env, 'ASTER_ROLES') ?? 'api,smtp,worker').split(',').map((r) => r.trim());
  for (const r of roles) {
    if (!['api', 'smtp', 'worker'].includes(r)) throw new ConfigError('ASTER_ROLES', 'a comma-separated subset of api,smtp,worker', roles.join(','));
  }
  // Unset, PUBLIC_URL is where this instance listens (links in letters then work on this machine).
  const httpHost = host(env, 'HTTP_HOST', '127.0.0.1');
  const httpPort = port(env, 'HTTP_PORT', 3000);
  const reachableHost = ['0.0.0.0', '::', ''].includes(httpHost) ? '127.0.0.1' : httpHost.includes(':') ? `[${httpHost}]` : httpHost;
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:'], 'https://domains.example.com') ?? `http://${reachableHost}:${httpPort}`;
  return {
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user:pass@127.0.0.1:5432/aster'),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    http: {
      host: httpHost,
      port: httpPort,
      // Guidance pages and health checks: a person reads a few pages a minute, a monitor polls.
      ratePerMinute: count(env, 'HTTP_RATE_PER_MINUTE', 300),
      // Staff scripts go fast; a token's requests are its owner's, recorded and revocable.
      tokenRatePerMinute: count(env, 'HTTP_TOKEN_RATE_PER_MINUTE', 6000),
      authFailuresPerMinute: count(env, 'HTTP_AUTH_FAILURES_PER_MINUTE', 10),
      corsOrigins: origins(env, 'CORS_ORIGINS'),
      trustProxy: trustProxy(env),
    },
    smtp: {
      host: host(env, 'SMTP_HOST', '127.0.0.1'),
      port: port(env, 'SMTP_PORT', 2525),
      maxConnections: count(env, 'SMTP_MAX_CONNECTIONS', 100),
      maxConnectionsPerAddress: count(env, 'SMTP_MAX_CONNECTIONS_PER_ADDRESS', 10),
      // A registrar's bulk run is a few messages a second at most; a refused sender retries (450).
      messagesPerMinute: count(env, 'SMTP_RATE_PER_MINUTE', 60),
      // Shorter than RFC 5321's 5 minutes (§4.5.3.2.7): a sending MTA never pauses that long mid-session.
      idleTimeoutMs: duration(env, 'SMTP_IDLE_TIMEOUT', '60s'),
      sessionTimeoutMs: duration(env, 'SMTP_SESSION_TIMEOUT', '10m'),
      // Postfix's smtpd greets at once (its postscreen greet pause is off by default); so does Aster.
      greetPauseMs: milliseconds(env, 'SMTP_GREET_PAUSE_MS', 0, 10_000, 0),
      recipientErrors: recipientErrors(env),
      tls: tlsFiles(env),
    },
    mailDomain,
    adminMailbox: adminMailbox.toLowerCase(),
    relayUrl: url(env, 'RELAY_URL', ['smtp:', 'smtps:'], 'smtp://127.0.0.1:2626'),
    noticeFrom: mailbox(env, 'NOTICE_FROM', `Aster <notices@${mailDomain}>`),
    adminToken,
    senderVerification: oneOf(env, 'SENDER_VERIFICATION', ['off', 'flag', 'enforce'] as const, 'flag'),
    maxClientsPerUnverified: positiveInt(env, 'MAX_CLIENTS_PER_UNVERIFIED', 3),
    dnsServers: dnsServers(env),
    // Routing waits this long per message when DNS is dead; more than ten seconds would stall it.
    dnsTimeoutMs: milliseconds(env, 'DNS_TIMEOUT_MS', 2000, 10_000),
    maxMessageBytes: positiveInt(env, 'MAX_MESSAGE_BYTES', 26214400),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    staffEmail,
    deliveryMaxAgeMs: duration(env, 'DELIVERY_MAX_AGE', '3d'),
    deliveryFirstRetryMs: duration(env, 'DELIVERY_FIRST_RETRY', '30s'),
    roles: roles as AsterRole[],
    workerProcesses: processCount(env, 'ASTER_WORKER_PROCESSES', 1),
    revisedTransferPolicyFrom: isoDay(env, 'REVISED_TRANSFER_POLICY_FROM'),
    hostNameservers: hostList(env, 'HOST_NAMESERVERS'),
    rdap: rdapSettings(env),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
}
