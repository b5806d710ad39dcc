// The pure part of loop detection for the decide stage: is this inbound message our own notice
// coming back, or has it gone round too many hops to be trusted?
import { NOTICE_HEADER } from '../notice-header';

/** One header field as it appears in the message: lowercase or not, value unfolded or not. */
export interface HeaderField {
  key: string;
  value: string;
}

export interface LoopPolicy {
  /** The header Aster puts on every notice it sends (lowercase), e.g. 'x-aster-notice'. */
  noticeHeader: string;
  /** More `Received` headers than this is a loop (RFC 5321 §6.3 suggests a limit around 100; MTAs use 25–100). */
  maxReceived: number;
}

export const DEFAULT_LOOP_POLICY: LoopPolicy = { noticeHeader: NOTICE_HEADER.toLowerCase(), maxReceived: 30 };

export type LoopReason = 'own-notice' | 'too-many-hops';

/**
 * Why the message is a loop, or undefined. Our own notice is recognised by the notice header
 * together with an `Auto-Submitted` value other than `no` (RFC 3834 §5): a person who replies to a
 * notice writes a message without either, and that reply is not a loop.
 */
export function loopReason(headers: readonly HeaderField[], policy: LoopPolicy = DEFAULT_LOOP_POLICY): LoopReason | undefined {
  const noticeHeader = policy.noticeHeader.toLowerCase();
  let received = 0;
  let ourNotice = false;
  let autoSubmitted = false;
  for (const { key, value } of headers) {
    const name = key.trim().toLowerCase();
    if (name === 'received') received += 1;
    else if (name === noticeHeader) ourNotice = true;
    else if (name === 'auto-submitted') {
      const keyword =
        value
          .replace(/\(.*?\)/g, '')
          .split(';')[0]
          ?.trim()
          .toLowerCase() ?? '';
      if (keyword !== '' && keyword !== 'no') autoSubmitted = true;
    }
  }
  if (ourNotice && autoSubmitted) return 'own-notice';
  if (received > policy.maxReceived) return 'too-many-hops';
  return undefined;
}
