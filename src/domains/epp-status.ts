// The EPP domain status codes a registry can report (RFC 5731 §2.3, and the grace-period and
// redemption statuses of RFC 3915 §3.1), as a table; input in any letter case maps to the canonical code.

export interface EppStatus {
  code: string;
  source: 'RFC 5731' | 'RFC 3915';
  /** Who sets it: the registrar (client*), the registry (server*), or the registry's own life cycle. */
  setBy: 'registrar' | 'registry';
  meaning: string;
}

export const EPP_STATUSES: readonly EppStatus[] = [
  { code: 'ok', source: 'RFC 5731', setBy: 'registry', meaning: 'No pending operation and no prohibition' },
  { code: 'inactive', source: 'RFC 5731', setBy: 'registry', meaning: 'No name servers are delegated' },
  { code: 'clientDeleteProhibited', source: 'RFC 5731', setBy: 'registrar', meaning: 'The registrar blocks deletion' },
  { code: 'clientHold', source: 'RFC 5731', setBy: 'registrar', meaning: 'The registrar has taken the domain out of the DNS' },
  { code: 'clientRenewProhibited', source: 'RFC 5731', setBy: 'registrar', meaning: 'The registrar blocks renewal' },
  { code: 'clientTransferProhibited', source: 'RFC 5731', setBy: 'registrar', meaning: 'The registrar blocks transfers (registrar lock)' },
  { code: 'clientUpdateProhibited', source: 'RFC 5731', setBy: 'registrar', meaning: 'The registrar blocks changes' },
  { code: 'serverDeleteProhibited', source: 'RFC 5731', setBy: 'registry', meaning: 'The registry blocks deletion' },
  { code: 'serverHold', source: 'RFC 5731', setBy: 'registry', meaning: 'The registry has taken the domain out of the DNS' },
  { code: 'serverRenewProhibited', source: 'RFC 5731', setBy: 'registry', meaning: 'The registry blocks renewal' },
  { code: 'serverTransferProhibited', source: 'RFC 5731', setBy: 'registry', meaning: 'The registry blocks transfers (registry lock)' },
  { code: 'serverUpdateProhibited', source: 'RFC 5731', setBy: 'registry', meaning: 'The registry blocks changes' },
  { code: 'pendingCreate', source: 'RFC 5731', setBy: 'registry', meaning: 'A create request is being processed' },
  { code: 'pendingDelete', source: 'RFC 5731', setBy: 'registry', meaning: 'The domain will be deleted' },
  { code: 'pendingRenew', source: 'RFC 5731', setBy: 'registry', meaning: 'A renewal is being processed' },
  { code: 'pendingTransfer', source: 'RFC 5731', setBy: 'registry', meaning: 'A transfer is under way' },
  { code: 'pendingUpdate', source: 'RFC 5731', setBy: 'registry', meaning: 'An update is being processed' },
  { code: 'addPeriod', source: 'RFC 3915', setBy: 'registry', meaning: 'Grace period after registration' },
  { code: 'autoRenewPeriod', source: 'RFC 3915', setBy: 'registry', meaning: 'Grace period after an automatic renewal' },
  { code: 'renewPeriod', source: 'RFC 3915', setBy: 'registry', meaning: 'Grace period after an explicit renewal' },
  { code: 'transferPeriod', source: 'RFC 3915', setBy: 'registry', meaning: 'Grace period after a transfer' },
  { code: 'redemptionPeriod', source: 'RFC 3915', setBy: 'registry', meaning: 'Deleted; can still be restored by the registrar' },
  { code: 'pendingRestore', source: 'RFC 3915', setBy: 'registry', meaning: 'A restore from redemption is being processed' },
];

export const EPP_STATUS_CODES: readonly string[] = EPP_STATUSES.map((s) => s.code);

const BY_LOWER_CASE = new Map(EPP_STATUS_CODES.map((code) => [code.toLowerCase(), code]));

// WHOIS and RDAP output writes a status as the ICANN link to its explanation; accept that form too.
const ICANN_STATUS_LINK = /^https?:\/\/(?:www\.)?icann\.org\/epp#([a-z]+)$/i;

/** The canonical code for `input` (`CLIENTHOLD` gives `clientHold`), or undefined when it is no EPP status. */
export function canonicalEppStatus(input: string): string | undefined {
  const value = input.trim();
  const link = ICANN_STATUS_LINK.exec(value);
  return BY_LOWER_CASE.get((link ? link[1] : value).toLowerCase());
}
