// Registrar mail for the end-to-end tests: a plain-text message from Gandi, the way a registrar's
// notice arrives, with room for extra header lines before or after the usual ones.

export interface RegistrarMailParts {
  /** The From header; Gandi's notices address without it. */
  from?: string;
  /** The To header; the shared mailbox without it. */
  to?: string;
  subject: string;
  body: string;
  /** Without it, a fresh random one (so two sends are not duplicates of each other). */
  messageId?: string;
  /** Header lines before From (e.g. Received, as a relay adds them). */
  leading?: string[];
  /** Header lines after Content-Type (e.g. Auto-Submitted). */
  trailing?: string[];
}

export function registrarMail(p: RegistrarMailParts): string {
  return [
    ...(p.leading ?? []),
    `From: ${p.from ?? 'Gandi <noreply@gandi.net>'}`,
    `To: ${p.to ?? 'domains@notify.artsites.test'}`,
    `Subject: ${p.subject}`,
    'Date: Tue, 24 Nov 2026 09:12:00 +0000',
    `Message-ID: <${p.messageId ?? `${Math.random().toString(36).slice(2)}@${/@([^>\s]+)>?\s*$/.exec(p.from ?? '')?.[1] ?? 'gandi.net'}`}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(p.trailing ?? []),
    '',
    p.body,
    '',
  ].join('\r\n');
}
