import type { ParsedMessage } from './parse';
import { ParsedCache } from './parsed-cache';

const parsed = (text: string): ParsedMessage => ({
  subject: 'Renewal',
  text,
  html: '',
  addresses: [],
  unscannable: [],
  messageId: 'abc@registrar.test',
  from: 'Registrar <noreply@registrar.test>',
  date: new Date('2026-11-25T10:00:00Z'),
  headers: [],
});

describe('ParsedCache', () => {
  it('keeps what a letter shows of the original, and nothing else', () => {
    const cache = new ParsedCache(100);
    cache.set('m1', parsed('hello'));
    expect(cache.get('m1')).toEqual({
      subject: 'Renewal',
      from: 'Registrar <noreply@registrar.test>',
      messageId: 'abc@registrar.test',
      date: new Date('2026-11-25T10:00:00Z'),
      text: 'hello',
    });
    expect(cache.get('m2')).toBeUndefined();
  });

  it('forgets the oldest entries when their texts exceed its size', () => {
    const cache = new ParsedCache(10);
    cache.set('m1', parsed('1111'));
    cache.set('m2', parsed('2222'));
    cache.set('m1', parsed('111')); // replaced, counted once: 7 characters
    cache.set('m3', parsed('333')); // 10: still fits
    expect([cache.get('m1')?.text, cache.get('m2')?.text, cache.get('m3')?.text]).toEqual(['111', '2222', '333']);
    cache.set('m4', parsed('4')); // 11: the oldest (m2) goes
    expect([cache.get('m1')?.text, cache.get('m2'), cache.get('m3')?.text, cache.get('m4')?.text]).toEqual(['111', undefined, '333', '4']);
  });

  it('does not keep very long texts (they are parsed again when needed)', () => {
    const cache = new ParsedCache(10 * 1024 * 1024);
    cache.set('big', parsed('x'.repeat(256 * 1024 + 1)));
    expect(cache.get('big')).toBeUndefined();
  });
});
