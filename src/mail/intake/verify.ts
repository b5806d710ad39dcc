// Stage 4, verify: SPF, DKIM, DMARC and ARC with mailauth, summarised for staff, and the rule that
// makes a message *verified registrar mail*: DMARC passes for its From domain, and that domain's
// registrable part is a sender domain of a known registrar. DNS waits are bounded (DNS_TIMEOUT_MS
// per look-up and for the whole check), so a dead resolver delays a message, never stalls intake.
import { authenticate, type AuthenticateResult } from 'mailauth';
import type { AsterConfig, SenderVerification } from '../../config/config';
import { registrableDomain, toAsciiHost } from '../../domains/domain-name';
import { openDnsSession } from './dns-resolver';

export interface SpfSummary {
  result: string;
  /** The domain SPF checked: the envelope sender's, or the HELO name's for the null sender. */
  domain: string;
  ip: string | null;
  helo: string | null;
}

export interface DkimSummary {
  result: string;
  /** The signing domain (d=). */
  domain: string;
  selector: string | null;
  /** Whether d= is aligned with the From domain (relaxed: same registrable domain). */
  aligned: boolean;
  comment: string | null;
}

export interface DmarcSummary {
  result: string;
  /** The From domain's organisational domain, whose record applies. */
  domain: string;
  /** What the domain's owner asks receivers to do with mail that fails (p= or sp=). */
  policy: string | null;
  /** Which authenticated identifiers were aligned with the From domain. */
  alignedBy: ('dkim' | 'spf')[];
}

export interface ArcSummary {
  result: string;
  /** The instance number (i=) of the last ARC set; 0 when the message has none. */
  instance: number;
}

/** What mailauth found, in the few fields staff read. */
export interface AuthSummary {
  /** The domain of the From header, the one DMARC checks; null when there is not exactly one From address. */
  fromDomain: string | null;
  spf: SpfSummary | null;
  dkim: DkimSummary[];
  dmarc: DmarcSummary | null;
  arc: ArcSummary | null;
  /** The results as an Authentication-Results header would give them (RFC 8601). */
  header: string;
  /** Why nothing could be checked: DNS gave no answer in time (temporary), or mailauth failed on the message. */
  error?: { message: string; temporary: boolean };
}

/** What the verify stage stores on the message (`authResults`). */
export interface AuthResults extends AuthSummary {
  mode: Exclude<SenderVerification, 'off'>;
  verified: boolean;
  /** The registrable part of `fromDomain`, which is compared with the registrars' sender domains. */
  senderDomain: string | null;
  registrarSenderDomain: boolean;
  /** True when a DNS failure (temperror) left the answer open, so asking again later may verify it. */
  temporary: boolean;
  /** The verdict in words, for staff. */
  reason: string;
}

export interface VerifyOutcome {
  /** What was checked; `off` means nothing was. */
  mode: SenderVerification;
  /** Whether the message counts as verified registrar mail (undefined when nothing was checked). */
  verified?: boolean;
  /** A DNS failure left the answer open (see AuthResults.temporary). */
  temporary?: boolean;
  results: AuthResults | null;
}

/** The envelope as the receive stage recorded it. */
export interface VerifyEnvelope {
  remoteAddress: string | null;
  helo: string | null;
  /** MAIL FROM; '' for the null sender. */
  envelopeFrom: string;
}

/** The one query verification needs about registrars (RegistrarsService answers it). */
export interface SenderDomains {
  isRegistrarSenderDomain(domain: string): Promise<boolean>;
}

type VerifySettings = Pick<AsterConfig, 'senderVerification' | 'dnsServers' | 'dnsTimeoutMs' | 'mailDomain'>;

/**
 * In `enforce` mode a message whose check failed for want of DNS is routed again after these
 * delays (seconds) rather than held at once: a DNS outage should delay registrar mail, not leave
 * staff to release every message by hand. After the last one it is held (`unverified_sender`).
 * `flag` mode never waits: it forwards at once with the warning banner.
 */
export const VERIFY_RETRY_SECONDS = [5, 30, 120, 600, 1800, 3600] as const;

/** Seconds until the next attempt for a check that is still open, or undefined to decide now. */
export function retryDelay(outcome: VerifyOutcome, attempt: number): number | undefined {
  if (outcome.mode !== 'enforce' || outcome.verified !== false || !outcome.temporary) return undefined;
  return VERIFY_RETRY_SECONDS[attempt];
}

const MAX_DKIM_RESULTS = 10;
const MAX_HEADER_LENGTH = 4000;

function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  const host = at >= 0 ? toAsciiHost(address.slice(at + 1)) : '';
  return host === '' ? null : host;
}

/** Summarises mailauth's result (pure). */
export function summarise(result: AuthenticateResult, mta: string): AuthSummary {
  const from = result.dkim?.headerFrom ?? [];
  const dmarc = result.dmarc || null;
  const arc = result.arc || null;
  const signatures = (result.dkim?.results ?? []).filter((r) => r.signingDomain);
  const rows = [...(result.dkim?.results ?? []).map((r) => r.info), result.spf ? result.spf.info : undefined, arc?.info, dmarc ? dmarc.info : undefined].filter(
    (row): row is string => typeof row === 'string' && row !== '',
  );
  return {
    fromDomain: from.length === 1 ? domainOf(from[0]) : null,
    spf: result.spf
      ? { result: result.spf.status.result, domain: result.spf.domain, ip: result.spf['client-ip'] ?? null, helo: result.spf.helo ?? null }
      : null,
    dkim: signatures.slice(0, MAX_DKIM_RESULTS).map((r) => ({
      result: r.status.result,
      domain: r.signingDomain ?? '',
      selector: r.selector ?? null,
      aligned: Boolean(r.status.aligned),
      comment: r.status.comment ?? null,
    })),
    dmarc: dmarc
      ? {
          result: dmarc.status.result,
          domain: dmarc.domain,
          policy: dmarc.policy ?? null,
          alignedBy: [...(dmarc.alignment?.dkim?.result ? (['dkim'] as const) : []), ...(dmarc.alignment?.spf?.result ? (['spf'] as const) : [])],
        }
      : null,
    arc: arc ? { result: arc.status.result, instance: typeof arc.i === 'number' ? arc.i : 0 } : null,
    header: `${mta}; ${rows.join('; ').replace(/\r?\n[ \t]*/g, ' ')}`.slice(0, MAX_HEADER_LENGTH),
  };
}

/** The summary of a check that could not finish: nothing is known. */
export function unanswered(mta: string, message: string, temporary: boolean): AuthSummary {
  return { fromDomain: null, spf: null, dkim: [], dmarc: null, arc: null, header: `${mta}; none (${message})`, error: { message, temporary } };
}

const isTemperror = (result: string | undefined) => result === 'temperror' || result === 'temperr';

/**
 * The verdict (pure): verified registrar mail when DMARC passes for the From domain and that
 * domain's registrable part is a known registrar's sender domain. `registrarSenderDomain` is the
 * answer for `summary.fromDomain`'s registrable domain. DMARC alone decides authenticity: an
 * ARC chain is recorded but not trusted to override a DMARC failure (no sealer is trusted).
 */
export function judge(summary: AuthSummary, registrarSenderDomain: boolean): { verified: boolean; temporary: boolean; reason: string } {
  if (summary.error) {
    const { message, temporary } = summary.error;
    return { verified: false, temporary, reason: `Not verified: ${message}${temporary ? ' (temperror)' : ''}.` };
  }
  const from = summary.fromDomain;
  const dmarc = summary.dmarc;
  if (!from || !dmarc) {
    return { verified: false, temporary: false, reason: 'Not verified: the message does not have exactly one From address, so DMARC cannot apply.' };
  }
  // Asking again can only help when a look-up failed and the domain is a registrar's to begin with.
  const retryable = registrarSenderDomain && (isTemperror(dmarc.result) || isTemperror(summary.spf?.result) || summary.dkim.some((d) => isTemperror(d.result)));
  if (dmarc.result !== 'pass') {
    const why: Record<string, string> = {
      fail: `DMARC fails for ${from}: no valid DKIM signature and no SPF pass is aligned with it`,
      none: `${from} publishes no DMARC record, so its mail cannot be authenticated`,
      temperror: `DMARC for ${from} could not be evaluated: a DNS look-up failed (temperror)`,
      permerror: `DMARC for ${from} could not be evaluated: its DMARC record is invalid (permerror)`,
    };
    return { verified: false, temporary: retryable, reason: `Not verified: ${why[dmarc.result] ?? `DMARC ${dmarc.result} for ${from}`}.` };
  }
  const by = dmarc.alignedBy.map((m) => m.toUpperCase()).join(' and ');
  if (!registrarSenderDomain) {
    return {
      verified: false,
      temporary: false,
      reason: `Not verified: DMARC passes for ${from} (aligned ${by}), but ${registrableDomain(from) ?? from} is not a sender domain of any known registrar.`,
    };
  }
  return { verified: true, temporary: false, reason: `Verified: DMARC passes for ${from} (aligned ${by}), a sender domain of a known registrar.` };
}

/** Waits at most `ms` for `work`; `done: false` when it took longer (its result is then ignored). */
async function within<T>(work: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stage 4. `off` checks nothing; `flag` and `enforce` check every message the same way. */
export async function verify(raw: Buffer, envelope: VerifyEnvelope, settings: VerifySettings, registrars: SenderDomains): Promise<VerifyOutcome> {
  const mode = settings.senderVerification;
  if (mode === 'off') return { mode, results: null };
  const mta = settings.mailDomain;
  const dns = openDnsSession(settings.dnsServers, settings.dnsTimeoutMs);
  let summary: AuthSummary;
  try {
    const checked = await within(
      authenticate(raw, {
        ip: envelope.remoteAddress ?? undefined,
        helo: envelope.helo ?? undefined,
        sender: envelope.envelopeFrom || undefined,
        mta,
        resolver: dns.lookup,
        disableBimi: true,
      }),
      settings.dnsTimeoutMs,
    );
    summary = checked.done ? summarise(checked.value, mta) : unanswered(mta, `DNS gave no answer within ${settings.dnsTimeoutMs} ms`, true);
  } catch (err) {
    // mailauth reports DNS trouble as temperror results; an exception means it could not read the message.
    summary = unanswered(mta, `mailauth could not check the message (${err instanceof Error ? err.message : String(err)})`, false);
  } finally {
    dns.cancel();
  }
  const senderDomain = summary.fromDomain ? (registrableDomain(summary.fromDomain) ?? null) : null;
  const known = senderDomain ? await registrars.isRegistrarSenderDomain(senderDomain) : false;
  return finish(mode, summary, senderDomain, known, judge(summary, known));
}

function finish(
  mode: Exclude<SenderVerification, 'off'>,
  summary: AuthSummary,
  senderDomain: string | null,
  registrarSenderDomain: boolean,
  verdict: { verified: boolean; temporary: boolean; reason: string },
): VerifyOutcome {
  return {
    mode,
    verified: verdict.verified,
    temporary: verdict.temporary,
    results: { mode, verified: verdict.verified, ...summary, senderDomain, registrarSenderDomain, temporary: verdict.temporary, reason: verdict.reason },
  };
}
