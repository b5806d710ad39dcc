// The welcome letter (`POST /api/clients/:id/welcome`): explains the arrangement to a client's
// contact — who manages the domains, that every registrar message reaches them, that they are the
// registrant and alone approve a transfer, how to move a domain — and lists the client's domains.
import type { NoticeSettings, WelcomeInput } from './compose';
import { composeLetter } from './letter';
import { html, link } from './html';
import { heading, wrap } from './plain-text';
import { domainCards, footer, h1, letterBody, paragraphs, steps, type Section } from './sections';

export const WELCOME_SUBJECT = 'Your domain names: how we keep you informed';

/** The address part of `NOTICE_FROM` (`Aster <notices@…>` gives `notices@…`), for the reader to recognise. */
function senderAddress(noticeFrom: string): string {
  return /<([^<>]+)>/.exec(noticeFrom)?.[1] ?? noticeFrom.trim();
}

export const MOVE_STEPS = [
  'Choose the new registrar (or new web host) and tell us: we will help, and keep your website and e-mail running during the move.',
  "Ask us for the domain's transfer code (also called auth code) and to unlock the domain. Give the code only to the new registrar you chose.",
  'Start the transfer at the new registrar and enter the code there. A transfer usually adds a year to the registration, which the new registrar charges for.',
  'Approve the transfer when your registrar asks you to. It is usually complete within five days.',
];

export async function composeWelcome(settings: NoticeSettings, input: WelcomeInput): Promise<Buffer> {
  const host = input.hostName?.trim() || 'your web host';
  const Host = host.charAt(0).toUpperCase() + host.slice(1);
  const from = senderAddress(settings.noticeFrom);
  const kicker = `About your domain names, for ${input.clientName}`;
  const guidance: Section = {
    html: html`All our guidance on moving a domain, keeping your website and e-mail working during a move, and what can hold a move up:<br>${link(input.guidanceIndexUrl)}`,
    text: `${wrap('All our guidance on moving a domain, keeping your website and e-mail working during a move, and what can hold a move up:')}\n${input.guidanceIndexUrl}`,
  };
  const intro: Section = {
    html: html`${h1(WELCOME_SUBJECT)}<p style="margin:0 0 16px;">Hello ${input.to.name},</p>
<p style="margin:0 0 16px;">This letter explains how ${host} looks after the domain names of <strong>${input.clientName}</strong>, and how you stay in control of them.</p>
`,
    text: [
      heading(WELCOME_SUBJECT, 1),
      wrap(`Hello ${input.to.name},`),
      wrap(`This letter explains how ${host} looks after the domain names of ${input.clientName}, and how you stay in control of them.`),
    ].join('\n\n'),
  };
  const sections: Section[] = [
    intro,
    paragraphs('Who does what', [
      `${Host} manages your domain names at the registrars (the companies where domain names are registered). Our addresses are on file there, so renewal reminders and invoices reach us, and we renew your domains in time.`,
    ]),
    paragraphs('You receive every registrar message', [
      `Every message a registrar sends about your domains is copied to you by e-mail, from ${from}, usually within minutes. Each copy starts with a short explanation in plain words: what the message is, whether you need to act, and what never to do. The registrar's original is attached unchanged.`,
      "When a registrar writes about several of our clients' domains in one message, you receive a summary that names only your domains, and we keep the original.",
    ]),
    paragraphs('You are the owner', [
      `You are the registrant of your domain names: the person or organisation they belong to. You alone can approve a move of one of them to another registrar. If you ever receive a request to move a domain that you did not ask for, do not approve it, and tell us.`,
      "For .com, .org and the other generic domains this is ICANN's Transfer Policy as updated on 21 August 2025: the registrant approves a transfer, and no administrative contact is needed any more. Country domains such as .uk or .de have similar rules of their own.",
    ]),
    steps('If you want to move a domain', MOVE_STEPS),
    paragraphs(undefined, [
      'Some things can hold a move up: a domain registered or moved in the last 60 days, one close to or past its expiry date, or a lock at the registrar. The guidance for each domain below says whether it can move now and what to do.',
      guidance,
    ]),
    domainCards(input.domains.length === 1 ? 'Your domain' : 'Your domains', input.domains),
    paragraphs(undefined, [
      "The notice address of a domain is its own e-mail address at Aster. Registrars may write to it, for example as the registrant's e-mail address, and everything sent to it is forwarded to you.",
    ]),
  ];
  if (input.domains.length === 0) {
    sections.splice(
      sections.length - 2,
      2,
      paragraphs('Your domains', ['We do not manage any domain names for you yet. When we do, you will receive their notices too.']),
    );
  }
  const foot = footer(
    settings.staffEmail,
    `You receive this because ${host} manages the domain names of ${input.clientName} and has you on file as a contact for them.`,
  );
  return composeLetter(settings, {
    to: input.to,
    subject: WELCOME_SUBJECT,
    id: input.letterId,
    autoSubmitted: 'auto-generated',
    ...letterBody(WELCOME_SUBJECT, kicker, sections, foot),
  });
}
