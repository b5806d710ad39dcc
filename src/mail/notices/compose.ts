// The front door of the notices module: the letters Aster sends, composed as complete RFC 5322
// messages by plain functions over plain data (no database, no Nest, no network), and the inputs
// they are composed from.
import type { NoticeKind } from '../intake/classify';

export { composeDigest } from './digest';
export { extractDates, type FoundDate } from './dates';
export { EXPLANATIONS, type Explanation } from './explanations';
export { composeForward, composeForwardStream } from './forward';
export { noticeMessageId } from './letter';
export { composeWelcome } from './welcome';

/** The part of AsterConfig the letters need. */
export interface NoticeSettings {
  /** `NOTICE_FROM`, e.g. `Aster <notices@notify.example>`. */
  noticeFrom: string;
  /** `STAFF_EMAIL`: the Reply-To of every letter, when set. */
  staffEmail?: string;
  publicUrl: string;
  mailDomain: string;
}

export interface NoticeDomain {
  /** ASCII (punycode) name. */
  name: string;
  unicodeName: string;
  registrar: string | null;
  registeredAt: Date | null;
  expiresAt: Date | null;
  /** The domain's transfer guidance page. */
  guidanceUrl: string;
}

export interface OriginalMessage {
  /** The message exactly as received. */
  raw: Buffer;
  subject: string;
  from: string | null;
  messageId: string | null;
  date: Date | null;
  /** Its text (the text part, or the HTML part's text). */
  text: string;
}

export interface Recipient {
  name: string;
  email: string;
}

/** How the message was read, where it changes the letter (issue 12). */
export interface NoticeReading {
  /** The message was read as a scam or phishing: why, in plain sentences. */
  suspicious?: string[] | null;
  /** The kind could not be read with confidence: no explanation of a guessed kind. */
  uncertain?: boolean;
  /** Where the registry contradicts the message about the reader's domains, one sentence each. */
  registrySays?: string[];
}

export interface ForwardInput {
  deliveryId: string;
  to: Recipient;
  clientName: string;
  kind: NoticeKind;
  reading?: NoticeReading;
  /** This client's domains the message concerns, at least one. */
  domains: NoticeDomain[];
  original: OriginalMessage;
  unverifiedSender: boolean;
}

export interface DigestInput {
  deliveryId: string;
  to: Recipient;
  clientName: string;
  kind: NoticeKind;
  reading?: NoticeReading;
  /** Only this client's domains. */
  domains: NoticeDomain[];
  /**
   * What the digest may read of the original: `from` is never shown; `domains` are all the tracked
   * domains the message names (the reader's and other clients').
   */
  original: { messageId: string | null; date: Date | null; from: string | null; text: string; domains: string[] };
  unverifiedSender: boolean;
}

export interface WelcomeInput {
  letterId: string;
  to: Recipient;
  clientName: string;
  hostName?: string;
  domains: (NoticeDomain & { noticeAddress: string })[];
  guidanceIndexUrl: string;
}
