// Per-domain transfer guidance as the API and the pages give it (DESIGN.md, Contract): the
// decision of eligibility.ts put into the words of wording.ts. Only the assembly is here.
import { transferDecision, type TransferBlockerCode, type TransferGuidanceInput, type TransferWarningCode } from './eligibility';
import type { PolicySource } from './policy-table';
import { blockerMessage, caveatText, stepText, warningMessage } from './wording';

export interface TransferBlocker {
  code: TransferBlockerCode;
  message: string;
  /** First UTC day (`YYYY-MM-DD`) on which this blocker no longer applies, when that is known. */
  until?: string;
}

export interface TransferWarning {
  code: TransferWarningCode;
  message: string;
}

export interface AppliedRule {
  id: string;
  summary: string;
  source: PolicySource;
}

export interface TransferGuidance {
  domain: string;
  eligible: boolean;
  /**
   * The first day on which the domain can move, assuming the actions the blockers ask for (remove
   * the lock, renew) are taken; null when that cannot be known (a registry lock, a transfer or
   * restore under way, redemption, deletion).
   */
  earliestTransferDate: string | null;
  blockers: TransferBlocker[];
  /** Things to act on that do not stop a move; their messages also open `caveats`. */
  warnings: TransferWarning[];
  steps: string[];
  caveats: string[];
  /** The policy rules this answer rests on, with their sources. */
  rules: AppliedRule[];
}

/** Transfer guidance for one domain on one day. */
export function transferGuidance(input: TransferGuidanceInput): TransferGuidance {
  const decision = transferDecision(input);
  const s = decision.situation;
  const warnings = decision.warnings.map((w): TransferWarning => ({ code: w.code, message: warningMessage(w, s) }));
  return {
    domain: decision.domain,
    eligible: decision.eligible,
    earliestTransferDate: decision.earliestTransferDate,
    blockers: decision.blockers.map((b): TransferBlocker => {
      const message = blockerMessage(b, s);
      return b.source === 'lock' ? { code: b.code, message, until: b.until } : { code: b.code, message };
    }),
    warnings,
    steps: decision.steps.map((step) => stepText(step, s)),
    // The warnings open the caveats, for API clients that read only the Contract's fields.
    caveats: [...warnings.map((w) => w.message), ...decision.caveats.map((c) => caveatText(c, s))],
    rules: decision.rules.map(({ id, summary, source }) => ({ id, summary, source })),
  };
}
