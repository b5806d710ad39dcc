// What each kind of registrar notice means, in plain words for a client who is not technical:
// the opening of every forwarded notice and privacy digest. "We" and "us" are the web host, whose
// staff read the replies. Read it top to bottom; a reviewer should be able to check each claim
// against the policy named beside it.
import type { NoticeKind } from '../intake/classify';

export interface Explanation {
  /** Title of the letter, and the subject of a privacy digest. */
  headline: string;
  /** First sentence of the letter; `{domains}` stands for the domain names concerned. */
  lead: string;
  /** What this kind of message is, and why registrars send it. */
  whatItIs: string;
  /** Whether the client needs to do anything, and by when. */
  shouldYouAct: string;
  /** Steps, in order. */
  whatToDo: string[];
  /** What never to do with a message like this one. */
  neverDo: string[];
}

// Said in every notice that might come with a bill: fake renewal invoices and "pay here" links
// that imitate registrars are a common scam, and the host pays the real ones.
const NEVER_PAY =
  'Never pay an invoice, or use a "pay here" or "renew now" link, from an e-mail about your domain without asking us first. Fake domain invoices are a common scam, and we pay the real renewals for you.';
const NEVER_SHARE_CODE = 'Never give the transfer code (also called auth code or EPP code) to anyone who asks for it by e-mail or phone.';

export const EXPLANATIONS: Record<NoticeKind, Explanation> = {
  // ICANN Transfer Policy: the losing registrar tells the registrant, who alone approves or
  // rejects; a gTLD transfer nobody answers goes through by itself after five days.
  transfer_request: {
    headline: 'Someone has asked to move your domain to another company',
    lead: 'This is a transfer request for {domains}.',
    whatItIs:
      'A request has been made to move your domain name away from its registrar (the company where it is registered) to another one. A domain that is moved goes with your website and e-mail to whoever asked for it. Many registrars let the move go ahead by itself after about five days unless it is stopped.',
    shouldYouAct:
      'If you did not ask for this transfer, do not approve it, and tell us today. If you asked for it yourself, or a new web host asked for it with your agreement, you do not need to do anything else.',
    whatToDo: [
      'Think: did you, or someone working for you, ask to move this domain?',
      'If not, do not click "approve" or "accept", and reply to this e-mail or call us today, so we can stop the move.',
      "If you did ask for it, you can approve it by following the registrar's instructions in the message below, or simply wait for it to complete.",
      'If you are not sure, ask us before you do anything.',
    ],
    neverDo: ['Never approve a transfer you did not ask for.', NEVER_SHARE_CODE],
  },

  transfer_completed: {
    headline: 'Your domain has moved to another company',
    lead: 'This is a confirmation that {domains} has been transferred.',
    whatItIs:
      'The registrar says the move of your domain name from one registrar (the company where it is registered) to another is finished. From now on the new registrar holds it.',
    shouldYouAct:
      "You need to act only if you did not expect this move: then tell us at once. A domain moved without its owner's agreement can often be recovered, but the sooner the better.",
    whatToDo: [
      'If you expected the move, check that your website and e-mail still work, and keep this message for your records.',
      'If you did not expect it, reply to this e-mail or call us today.',
    ],
    neverDo: [NEVER_SHARE_CODE],
  },

  transfer_rejected: {
    headline: 'A move of your domain did not go ahead',
    lead: 'This is a notice that a transfer of {domains} was stopped or failed.',
    whatItIs:
      'Someone asked to move your domain name to another registrar (the company where it is registered), and the move did not happen: it was refused, cancelled, ran out of time, or the transfer code was wrong. Common reasons are a domain that is locked, or one that was registered or moved very recently (registrars may refuse a move for up to 60 days after either).',
    shouldYouAct:
      'If you are trying to move this domain, find out why the move failed. If you did not ask for a move, you need not do anything, but please tell us, because someone tried.',
    whatToDo: [
      'If you asked for the move, ask your new registrar or us why it was stopped; the message below usually says.',
      'If you did not ask for it, reply to this e-mail so we know someone tried to move your domain.',
    ],
    neverDo: [NEVER_SHARE_CODE],
  },

  // EPP authInfo: whoever holds the code can ask for the domain to be moved.
  auth_code: {
    headline: 'The transfer code for your domain',
    lead: 'This message contains the transfer code (auth code) for {domains}.',
    whatItIs:
      'The transfer code, also called auth code, authorisation code or EPP code, works like a key: whoever has it can ask to move your domain name to another registrar (the company where it is registered). Registrars send it when someone asks for it, usually to start a move.',
    shouldYouAct:
      'You need to act only if you are moving the domain: then enter the code at the new registrar you chose. If you did not ask for the code, tell us, because someone may be trying to move your domain.',
    whatToDo: [
      'If you are moving the domain, type the code into the transfer form of the new registrar you chose, and nowhere else.',
      'If you did not ask for this code, reply to this e-mail or call us today.',
    ],
    neverDo: [
      'Never share the code with anyone except the new registrar you chose yourself: not by e-mail, not by phone, not with someone who says they are from your registrar.',
    ],
  },

  // ICANN Expired Registration Recovery Policy (ERRP): reminders about one month and one week
  // before expiry, and one within five days after.
  expiry_reminder: {
    headline: 'Your domain is due for renewal',
    lead: 'This is a renewal reminder for {domains}.',
    whatItIs:
      'A domain name is registered for a fixed time, usually a year or more, and must be renewed before it runs out. ICANN requires registrars to send reminders like this one, about a month and again about a week before the expiry date.',
    shouldYouAct:
      'You normally need to do nothing: your web host renews your domains for you. Check with us if you are unsure, especially if the expiry date is close.',
    whatToDo: [
      'Look at the expiry date below.',
      'If you want to keep the domain and are not sure we will renew it, reply to this e-mail and ask.',
      'If you no longer want the domain, tell us, so we do not renew it.',
    ],
    neverDo: [NEVER_PAY],
  },

  // ERRP: at least eight days after expiry in which the registrant can still renew; then the
  // Redemption Grace Period (30 days where offered), at a higher price; then the name is released.
  expired: {
    headline: 'Your domain has expired',
    lead: 'This is a notice that {domains} has reached its expiry date without being renewed.',
    whatItIs:
      'The registration of your domain name ran out. Your website and e-mail at this domain may stop working soon, or already have. For a short time after expiry the domain can usually still be renewed at the normal price (for .com and similar domains at least eight days, often about a month); after that, getting it back costs much more, and later anyone may register it.',
    shouldYouAct: 'If you want to keep the domain, act today: contact us so we can renew it.',
    whatToDo: [
      'Reply to this e-mail or call us today and say whether you want to keep the domain.',
      'If your website or e-mail has stopped working, tell us: it usually comes back within hours of the renewal.',
    ],
    neverDo: [NEVER_PAY],
  },

  renewal_confirmation: {
    headline: 'Your domain has been renewed',
    lead: 'This is a confirmation that {domains} has been renewed.',
    whatItIs: 'The registration of your domain name has been extended: it is yours for longer. The message below usually gives the new expiry date.',
    shouldYouAct: 'You need to do nothing. Keep this message for your records.',
    whatToDo: ['Nothing. If you did not expect this renewal, or no longer want the domain, tell us.'],
    neverDo: [NEVER_PAY],
  },

  // ICANN Whois Data Reminder Policy (WDRP): once a year, the registrar shows the registrant the
  // contact data on file and reminds them that it must be accurate.
  whois_data_reminder: {
    headline: 'Please check the contact details of your domain',
    lead: 'This is the yearly reminder to check the contact details of {domains}.',
    whatItIs:
      "ICANN requires every registrar to ask once a year that the contact details on file for a domain name (the owner's name, postal address, e-mail, phone) be checked. Wrong details can put the domain at risk.",
    shouldYouAct:
      'You need to act only if something is wrong. Read the details in the message below; if they are right, there is nothing to do. No payment is ever asked for this reminder.',
    whatToDo: [
      "Check that the owner's name and contact details in the message below are right.",
      'If something is wrong or out of date, reply to this e-mail with the correct details, and we will update them.',
    ],
    neverDo: ['Never pay anything for this reminder: registrars do not charge for it, and "data check" messages that ask for money are a scam.', NEVER_PAY],
  },

  // RAA 2013, WHOIS Accuracy Program Specification: a registrant e-mail not confirmed within 15
  // days gets the domain suspended (clientHold) until it is.
  registrant_verification: {
    headline: 'Please confirm your e-mail address for your domain',
    lead: "This is a request to confirm the owner's contact details for {domains}.",
    whatItIs:
      "Registrars must check that the owner of a domain name can be reached. After a domain is registered, or its owner's details change, the registrar sends a message like this with a link to confirm the e-mail address. ICANN's rules say: if it is not confirmed within 15 days, the domain is suspended, and your website and e-mail stop working until it is.",
    shouldYouAct:
      "You must act within 15 days of the registrar's message. If you are unsure whether the message is real, ask us first: we can check with the registrar.",
    whatToDo: [
      'If you or we recently registered the domain or changed its owner details, open the confirmation link in the message below and confirm.',
      "If you did not expect this message, or the link does not lead to your registrar's website, do not click it: reply to this e-mail and ask us.",
    ],
    neverDo: ['Never pay or give a password to confirm an e-mail address: a real confirmation only asks you to click a link.', NEVER_PAY],
  },

  // ICANN Transfer Policy, Part II (Change of Registrant).
  registrant_change: {
    headline: 'A change of owner details for your domain',
    lead: 'This is a notice about a change of the owner (registrant) of {domains}.',
    whatItIs:
      "The registrar says the owner of your domain name, or the owner's name, organisation or e-mail address, has been changed or is about to be. The owner is the person the domain legally belongs to. After such a change some registrars block moves to another registrar for a while.",
    shouldYouAct: 'If you did not ask for this change, do not approve it, and tell us today. If you or we made the change, there is nothing to do.',
    whatToDo: [
      'Check that the new details in the message below are yours, and that you expected the change.',
      'If you did not ask for it, do not approve it, and reply to this e-mail or call us today.',
    ],
    neverDo: ['Never approve a change of owner you did not ask for.', NEVER_SHARE_CODE],
  },

  suspension: {
    headline: 'Your domain has been suspended',
    lead: 'This is a notice that {domains} has been suspended.',
    whatItIs:
      "The registrar has switched your domain name off: your website and e-mail at this domain stop working while it is suspended. The most common reason is an owner's e-mail address that was not confirmed in time; others are an unpaid renewal or a complaint about the website.",
    shouldYouAct: 'Act today: tell us, so we can find out why and have it switched back on.',
    whatToDo: [
      'Reply to this e-mail or call us today.',
      'If the message below asks you to confirm your e-mail address, and you are sure it comes from your registrar, confirming usually ends the suspension within hours.',
    ],
    neverDo: [NEVER_PAY],
  },

  other: {
    headline: "A message from your domain's registrar",
    lead: 'This is a message from the registrar of {domains}.',
    whatItIs:
      'The registrar (the company where your domain name is registered) wrote about your domain. It did not look like any of the usual notices, so please read it below.',
    shouldYouAct: 'You probably need to do nothing. If the message asks you to do something or to pay, ask us first.',
    whatToDo: ['Read the message below.', 'If it asks you to act, or you do not understand it, reply to this e-mail and ask us.'],
    neverDo: [NEVER_PAY, NEVER_SHARE_CODE],
  },
};

/**
 * The letter for a message read as a scam or phishing (issue 12): it is never explained as the
 * notice it imitates. `reasons` are the classifier's plain sentences; `registrars` the registrars
 * of record of the client's domains, where known.
 */
export function suspiciousExplanation(reasons: readonly string[], registrars: readonly string[]): Explanation {
  const ofRecord =
    registrars.length === 0
      ? ''
      : ` Your domain's registrar is ${registrars.join(' and ')}; a real notice about your domain comes from ${registrars.length > 1 ? 'one of them' : 'it'}.`;
  return {
    headline: 'Warning: this looks like a scam, not a notice from your registrar',
    lead: 'This message about {domains} is not a notice you need to act on.',
    whatItIs: `${reasons.join(' ')}${ofRecord}`,
    shouldYouAct: 'Do not pay it, do not click its links, and do not reply with any code or password.',
    whatToDo: [
      'You can ignore it. If you are unsure, reply to this e-mail and ask us.',
      'If you want to check your domain, go to your registrar by typing its address yourself, never through a link in this message.',
    ],
    neverDo: [NEVER_PAY, NEVER_SHARE_CODE, 'Never log in through a link in a message like this one: look-alike pages collect passwords.'],
  };
}

/** The letter for a message whose kind Aster could not read with confidence: no guessed explanation. */
export const UNCERTAIN_EXPLANATION: Explanation = {
  headline: 'A message about your domain that we could not read for sure',
  lead: 'This is a message about {domains}.',
  whatItIs:
    'We could not tell for sure what kind of message this is, so we do not explain it here rather than risk explaining it wrongly. Please read it below.',
  shouldYouAct: 'If it asks you to do something, to approve something or to pay, ask us first.',
  whatToDo: ['Read the message below.', 'If it asks you to act, or you do not understand it, reply to this e-mail and ask us.'],
  neverDo: [NEVER_PAY, NEVER_SHARE_CODE],
};
