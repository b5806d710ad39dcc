// Delivery status notifications (RFC 3464) that come back to a per-delivery bounce address
// (`bounces+<delivery id>@MAIL_DOMAIN`): which delivery, and whether it failed for good.

const BOUNCE_LOCAL = /^bounces\+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The delivery id of a bounce address under `mailDomain`, or undefined. */
export function bounceDeliveryId(address: string, mailDomain: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.slice(at + 1).toLowerCase() !== mailDomain) return undefined;
  return BOUNCE_LOCAL.exec(address.slice(0, at))?.[1]?.toLowerCase();
}

export interface BounceReport {
  /** True when the report says the delivery failed (Action: failed, or a 5.x.x status). */
  failed: boolean;
  /** e.g. `5.1.1 (smtp; 550 5.1.1 <linda@…>: Recipient address rejected)`. */
  status: string;
}

/**
 * Reads the per-recipient fields of a DSN from the raw message (its message/delivery-status part is
 * plain text, so a scan of the bytes is enough and survives odd MIME structures).
 */
export function readBounce(raw: Buffer): BounceReport {
  const text = raw.toString('latin1');
  const action = /^Action:\s*([a-z]+)/im.exec(text)?.[1]?.toLowerCase();
  const status = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(text)?.[1];
  const diagnostic = /^Diagnostic-Code:\s*(.+(?:\r?\n[ \t].+)*)/im.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  const failed = action === 'failed' || (action === undefined && status?.startsWith('5.') === true);
  const summary = [status ?? 'no status', action ? `action ${action}` : undefined, diagnostic ? `(${diagnostic})` : undefined].filter(Boolean).join(' ');
  return { failed, status: summary.slice(0, 1000) };
}
