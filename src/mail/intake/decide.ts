// Stage 7, decide: what happens to a message, from what the earlier stages found. Pure: the
// pipeline writes the outcome (and queues the deliveries) in one transaction.
import type { HoldReason } from './inbound-message.entity';
import type { LoopReason } from './loop';

export interface TrackedDomain {
  name: string;
  clientId: string;
}

export interface DecideInput {
  loop: LoopReason | undefined;
  /** Tracked domains the message concerns, each with its owning client. */
  domains: TrackedDomain[];
  /** False only when verification ran in `enforce` mode and the sender is not a verified registrar. */
  senderAccepted: boolean;
  /**
   * With `flag`: an unverified message naming more clients than this is held, not sent to each of
   * them (one unknown sender must not reach the whole portfolio at once). Unset: no limit.
   */
  unverifiedClientLimit?: number;
  /** False when verification ran and the sender is not a verified registrar (any mode). */
  senderVerified?: boolean;
}

export interface ClientShare {
  clientId: string;
  domains: string[];
}

export type DecideOutcome =
  | { decision: 'forward'; share: ClientShare; reason: string }
  | { decision: 'digest'; shares: ClientShare[]; reason: string }
  | { decision: 'hold'; holdReason: HoldReason; reason: string };

const LOOP_REASONS: Record<LoopReason, string> = {
  'own-notice': "it is one of Aster's own notices coming back (Auto-Submitted and X-Aster-Notice are set)",
  'too-many-hops': 'it has passed through too many mail servers (Received headers), a sign of a mail loop',
};

export function decide(input: DecideInput): DecideOutcome {
  if (input.loop) return { decision: 'hold', holdReason: 'loop', reason: `Held: ${LOOP_REASONS[input.loop]}.` };
  if (!input.senderAccepted) {
    return { decision: 'hold', holdReason: 'unverified_sender', reason: 'Held: the sender is not verified registrar mail.' };
  }
  const byClient = new Map<string, string[]>();
  for (const d of input.domains) byClient.set(d.clientId, [...(byClient.get(d.clientId) ?? []), d.name]);
  const shares = [...byClient].map(([clientId, domains]) => ({ clientId, domains: [...new Set(domains)].sort() }));
  if (shares.length === 0) {
    return { decision: 'hold', holdReason: 'unmatched', reason: 'Held: the message names no tracked domain and was not sent to a domain alias.' };
  }
  if (input.senderVerified === false && input.unverifiedClientLimit !== undefined && shares.length > input.unverifiedClientLimit) {
    return {
      decision: 'hold',
      holdReason: 'unverified_sender',
      reason: `Held: the sender is not verified registrar mail and the message names the domains of ${shares.length} clients (more than ${input.unverifiedClientLimit}); staff decide whom it concerns.`,
    };
  }
  if (shares.length === 1) {
    return { decision: 'forward', share: shares[0], reason: `Forward: concerns ${shares[0].domains.join(', ')} of one client.` };
  }
  return {
    decision: 'digest',
    shares,
    reason: `Privacy digest: concerns domains of ${shares.length} clients (${shares.map((s) => s.domains.join(', ')).join(' / ')}); each gets only its own.`,
  };
}
