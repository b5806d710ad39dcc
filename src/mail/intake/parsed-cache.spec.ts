import type { ParsedMessage } from './parse';
import { ParsedCache } from './parsed-cache';

const parsed = (text: string): ParsedMessage => ({
  subject: 'Renewal',
  text,
  html: '',
  addresses: [],
  messageId: 'abc@registrar.test',
  from: 'Registrar <noreply@registrar.test>',
  date: new Date('2026-11-25T10:00:00Z'),
  headers: [],
});

describe('ParsedCache', () => {
  it('keeps what a letter shows of the original, and nothing else', () => {
    const cache = new ParsedCache(4);
    cache.set('m1', parsed('hello'));
    expect(cache.get('m1')).toEqual({ subject: 'Renewal', from: 'Registrar <noreply@registrar.test>', messageId: 'abc@registrar.test', date: new Date('2026-11-25T10:00:00Z'), text: 'hello' });
    expect(cache.get('m2')).toBeUndefined();
  });

  it('forgets the oldest entries beyond its size', () => {
    const cache = new ParsedCache(2);
    cache.set('m1', parsed('1'));
    cache.set('m2', parsed('2'));
    cache.set('m3', parsed('3'));
    expect([cache.get('m1'), cache.get('m2')?.text, cache.get('m3')?.text]).toEqual([undefined, '2', '3']);
  });

  it('does not keep very long texts (they are parsed again when needed)', () => {
    const cache = new ParsedCache(2);
    cache.set('big', parsed('x'.repeat(256 * 1024 + 1)));
    expect(cache.get('big')).toBeUndefined();
  });
});
