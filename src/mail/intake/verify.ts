// Stage 4, verify: sender verification (SPF, DKIM, DMARC, ARC with mailauth) arrives with its own
// issue; until then the stage records that verification is off, and every message passes.
import type { SenderVerification } from '../../config/config';

export interface VerifyOutcome {
  /** What was checked; `off` means nothing was. */
  mode: SenderVerification;
  /** Whether the message counts as verified registrar mail (undefined when nothing was checked). */
  verified?: boolean;
  results: object | null;
}

export function verify(_raw: Buffer, _mode: SenderVerification): VerifyOutcome {
  return { mode: 'off', results: null };
}
