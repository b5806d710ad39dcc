import { JsonTooDeepError, jsonDepth, MAX_JSON_DEPTH, refuseDeepJson, unstorableStrings } from './request-input';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('jsonDepth', () => {
  it.each([
    ['a scalar', '"x"', 0],
    ['an empty object', '{}', 1],
    ['objects and arrays', '{"a":[{"b":[1,2]},{}],"c":{}}', 4],
    ['brackets inside a string', '{"a":"[[[{{{"}', 1],
    ['an escaped quote inside a string', '{"a":"\\"[[[","b":[]}', 2],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":[[]]}', 3],
    ['multi-byte characters', '{"bücher.de":["🎨",["ü"]]}', 3],
    ['siblings, not nesting', '[[],[],[],[]]', 2],
  ])('counts %s', (_what, json, depth) => {
    expect(jsonDepth(bytes(json))).toBe(depth);
  });

  it('stops reading once past the limit', () => {
    expect(jsonDepth(bytes('['.repeat(1_000_000)), 64)).toBe(65);
  });
});

describe('refuseDeepJson (body-parser verify)', () => {
  const verify =
    (json: string | Buffer, encoding = 'utf-8') =>
    () =>
      refuseDeepJson({} as never, {}, typeof json === 'string' ? bytes(json) : json, encoding);

  it(`lets ${MAX_JSON_DEPTH} levels through and refuses one more with a 400 of type entity.too.deep`, () => {
    expect(verify('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).not.toThrow();
    expect(verify('['.repeat(MAX_JSON_DEPTH + 1))).toThrow(JsonTooDeepError);
    expect(new JsonTooDeepError()).toMatchObject({ status: 400, statusCode: 400, expose: true, type: 'entity.too.deep', limit: MAX_JSON_DEPTH });
  });

  it('reads a UTF-16 body as the characters it holds', () => {
    const json = `{"a":"${'['.repeat(100)}"}`;
    expect(verify(Buffer.from(json, 'utf16le'), 'utf-16le')).not.toThrow();
    expect(verify(Buffer.from('['.repeat(100), 'utf16le'), 'utf-16le')).toThrow(JsonTooDeepError);
  });
});

describe('unstorableStrings', () => {
  it.each([
    ['a clean body', { name: 'Linda Pence Art', contacts: [{ name: 'Linda', email: 'linda@pence-mail.test' }], n: 1, ok: true, none: null }, []],
    ['a paired surrogate (an emoji)', { name: 'Studio 🎨 \ud83c\udfa8' }, []],
    ['a NUL in a field', { name: 'a\u0000' }, [{ field: 'name', message: 'contains a NUL character (U+0000), which cannot be stored' }]],
    ['a NUL deep in a list', { contacts: [{ name: 'ok' }, { name: 'L\u0000' }] }, [{ field: 'contacts.1.name', message: expect.stringMatching(/NUL/) }]],
    ['a lone high surrogate', { name: 'x\ud800y' }, [{ field: 'name', message: 'contains an unpaired UTF-16 surrogate (U+D800), which cannot be stored' }]],
    ['a lone low surrogate', { notes: '\udfff' }, [{ field: 'notes', message: expect.stringMatching(/U\+DFFF/) }]],
    ['surrogates the wrong way round', { notes: '\udc00\ud800' }, [{ field: 'notes', message: expect.stringMatching(/U\+DC00/) }]],
    ['a NUL in a key', { 'x\u0000': 1 }, [{ field: 'x\\u0000', message: 'is a name that contains a NUL character (U+0000)' }]],
    [
      'several, in order',
      { a: '\u0000', b: ['ok', '\u0000'], c: { d: '\ud800' } },
      [
        { field: 'a', message: expect.any(String) },
        { field: 'b.1', message: expect.any(String) },
        { field: 'c.d', message: expect.any(String) },
      ],
    ],
  ])('reports %s', (_what, value, errors) => {
    expect(unstorableStrings(value, 'body')).toEqual(errors);
  });

  it('names a value that is itself a string (a path parameter, a CSV body) by its root', () => {
    expect(unstorableStrings('a\u0000b.com', 'name')).toEqual([{ field: 'name', message: expect.stringMatching(/NUL/) }]);
    expect(unstorableStrings('lindapence.com', 'name')).toEqual([]);
    expect(unstorableStrings(undefined, 'query')).toEqual([]);
  });

  it('walks a value nested far deeper than any stack would take, without recursing', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const errors = unstorableStrings(deep, 'body');
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe(Array(200_000).fill('0').join('.'));
  });
});
