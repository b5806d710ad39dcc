// The staff alert: what Aster could not route (held messages) and letters that could not be
// delivered, since the previous alert, with links to the API. Batched by the delivery worker.
import MailComposer from 'nodemailer/lib/mail-composer';
import { escapeHtml } from '../../common/escape-html';
import { NOTICE_HEADER } from '../notice-header';
import type { NoticeSettings } from './compose';
import { noticeMessageId } from './letter';

export interface StaffAlertInput {
  alertId: string;
  to: string;
  apiBase: string;
  held: { id: string; subject: string | null; from: string | null; holdReason: string; receivedAt: Date }[];
  failed: { id: string; email: string; messageId: string | null; lastResponse: string }[];
}

export async function composeStaffAlert(settings: NoticeSettings, input: StaffAlertInput): Promise<Buffer> {
  const heldLines = input.held.map(
    (m) =>
      `- ${m.receivedAt.toISOString()}  held (${m.holdReason}): ${m.subject ?? '(no subject)'} — from ${m.from ?? 'unknown'}\n  ${input.apiBase}/messages/${m.id}`,
  );
  const failedLines = input.failed.map((d) => `- to ${d.email}: ${d.lastResponse}${d.messageId ? `\n  ${input.apiBase}/messages/${d.messageId}` : ''}`);
  const text = [
    'Aster needs a look from staff.',
    '',
    `Held messages (${input.held.length}) — release them to a client or discard them:`,
    ...(heldLines.length ? heldLines : ['- none']),
    '',
    `Letters that could not be delivered (${input.failed.length}) — check the contact's address:`,
    ...(failedLines.length ? failedLines : ['- none']),
    '',
    `Held queue: ${input.apiBase}/messages?status=held`,
  ].join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Aster: held messages and failed deliveries</title></head>
<body style="font-family:Arial,sans-serif;color:#1a1a1a;max-width:640px">
<h1 style="font-size:20px">Aster needs a look from staff</h1>
<h2 style="font-size:16px">Held messages (${input.held.length})</h2>
<ul>${input.held.map((m) => `<li>${escapeHtml(m.receivedAt.toISOString())} — <strong>${escapeHtml(m.holdReason)}</strong>: ${escapeHtml(m.subject ?? '(no subject)')} — from ${escapeHtml(m.from ?? 'unknown')} — <a href="${escapeHtml(`${input.apiBase}/messages/${m.id}`)}">open</a></li>`).join('') || '<li>none</li>'}</ul>
<h2 style="font-size:16px">Letters that could not be delivered (${input.failed.length})</h2>
<ul>${input.failed.map((d) => `<li>to ${escapeHtml(d.email)}: ${escapeHtml(d.lastResponse)}</li>`).join('') || '<li>none</li>'}</ul>
<p><a href="${escapeHtml(`${input.apiBase}/messages?status=held`)}">The held queue</a></p>
</body></html>`;
  const mail = new MailComposer({
    from: settings.noticeFrom,
    to: input.to,
    subject: `[Aster] ${input.held.length} held message(s), ${input.failed.length} failed delivery(ies)`,
    messageId: noticeMessageId(input.alertId, settings.mailDomain),
    headers: { 'Auto-Submitted': 'auto-generated', [NOTICE_HEADER]: input.alertId },
    text,
    html,
  });
  return mail.compile().build();
}
