import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  holdsNul,
  JSON_MAX_DEPTH,
  JsonErrorCodes,
  JsonScanner,
  parseJson,
  parseJsonObject,
  PROTOTYPE_KEYS,
  ServiceError,
} from '../src';

const CODES: string[] = Object.values(JsonErrorCodes);
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const BEFORE = prototypeNames();

/** Runs read and returns the code of the ServiceError 400 it threw, or undefined; anything else fails the test. */
function outcome(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ServiceError, `not a ServiceError: ${String(error)}`);
    assert.equal(error.status, 400);
    assert.ok(CODES.includes(error.code), error.code);
    return error.code;
  }
}

const unpolluted = () => {
  assert.deepEqual(prototypeNames(), BEFORE);
  assert.equal(({} as Record<string, unknown>).hgPolluted, undefined);
};

/** The deepest nesting of a parsed value (a scalar is 0). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const items = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...items.map(depthOf));
}

/** Whether a parsed value holds a prototype name as a key anywhere. */
function hasPrototypeKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasPrototypeKey);
  return Object.keys(value).some((k) => PROTOTYPE_KEYS.includes(k)) || Object.values(value).some(hasPrototypeKey);
}

/** JSON values whose keys are often prototype names and whose strings often hold a NUL. */
const hostileKey = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'a', 'b\u0000', 'field.__proto__.x'), fc.string());
const hostileString = fc.oneof(fc.constantFrom('\u0000', 'x\u0000y', '\\u0000', ''), fc.string({ unit: 'binary' }));
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, 1.5, -3),
    hostileString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map((entries) => {
      const object: Record<string, unknown> = {};
      for (const [key, item] of entries)
        Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
      return object;
    }),
  ),
}));

describe('the safe JSON reader', () => {
  test('arbitrary text: a value or a typed 400, never another error, never a polluted prototype', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.stringMatching(/^[[\]{}":,\\u0 a-z]{0,200}$/)),
        (text) => {
          outcome(() => parseJson(text));
          outcome(() => parseJsonObject(text));
          unpolluted();
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('valid JSON: the same value as JSON.parse, unless it is too deep, holds a NUL or a prototype key', () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        const text = JSON.stringify(value);
        const parsed = JSON.parse(text) as unknown;
        const code = outcome(() => parseJson(text));
        // The scan stops at the first of too deep and NUL in the text; prototype keys are looked for after it.
        const scanned: Array<string | false | undefined> = [
          depthOf(parsed) > JSON_MAX_DEPTH && JsonErrorCodes.tooDeep,
          holdsNul(parsed) && JsonErrorCodes.nul,
        ].filter(Boolean);
        if (scanned.length) assert.ok(scanned.includes(code), `${code} for ${text}`);
        else assert.equal(code, hasPrototypeKey(parsed) ? JsonErrorCodes.prototypeKey : undefined, text);
        if (code === undefined) assert.deepEqual(parseJson(text), parsed);
        unpolluted();
      }),
      { numRuns: 2000 },
    );
  });

  test('nesting: JSON_MAX_DEPTH levels are read, one more is refused, whatever the mix of arrays and objects', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }), (opens) => {
        const text =
          opens.map((o) => (o ? '{"k":' : '[')).join('') +
          '0' +
          [...opens]
            .reverse()
            .map((o) => (o ? '}' : ']'))
            .join('');
        const code = outcome(() => parseJson(text));
        assert.equal(code, opens.length > JSON_MAX_DEPTH ? JsonErrorCodes.tooDeep : undefined);
      }),
    );
    assert.equal(
      outcome(() => parseJson('['.repeat(30_000) + ']'.repeat(30_000))),
      JsonErrorCodes.tooDeep,
    );
    // Brackets inside strings are text, not nesting.
    assert.deepEqual(parseJson(JSON.stringify({ s: '['.repeat(1000) })), { s: '['.repeat(1000) });
  });

  test('the scan fed in pieces (a stream, latin1 chunks) decides as it does on the whole text', () => {
    fc.assert(
      fc.property(hostileValue, fc.array(fc.nat(), { maxLength: 5 }), (value, cuts) => {
        const bytes = Buffer.from(JSON.stringify(value));
        const whole = outcome(() => new JsonScanner().push(bytes.toString('latin1')));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const scanner = new JsonScanner();
        const pieces = outcome(() => {
          let from = 0;
          for (const to of [...points, bytes.length]) {
            scanner.push(bytes.subarray(from, to).toString('latin1'));
            from = to;
          }
        });
        assert.equal(pieces, whole);
      }),
      { numRuns: 1000 },
    );
  });

  test('NUL: raw or escaped, in a key or a value, refused; an escaped backslash before u0000 is text', () => {
    for (const text of ['{"a":"\u0000"}', '{"a":"\\u0000"}', '{"\\u0000":1}', '["x\\u0000y"]', '\u0000{}']) {
      assert.equal(
        outcome(() => parseJson(text)),
        JsonErrorCodes.nul,
        text,
      );
    }
    assert.deepEqual(parseJson('{"a":"\\\\u0000"}'), { a: '\\u0000' });
    assert.deepEqual(parseJson('{"a":"\\u0001"}'), { a: '\u0001' });
  });

  test('prototype names as keys, however escaped, are refused; the same words as values are fine', () => {
    for (const text of [
      '{"__proto__":{}}',
      '{"a":[{"constructor":1}]}',
      '{"prototype":null}',
      '{"\\u005f_proto__":{"x":1}}',
    ]) {
      assert.equal(
        outcome(() => parseJson(text)),
        JsonErrorCodes.prototypeKey,
        text,
      );
    }
    assert.deepEqual(parseJson('{"a":"__proto__","b":["constructor"]}'), { a: '__proto__', b: ['constructor'] });
    unpolluted();
  });

  test('parseJsonObject: blank is {}, a BOM is skipped, anything but an object is json.invalid', () => {
    assert.deepEqual(parseJsonObject('  '), {});
    assert.deepEqual(parseJsonObject(Buffer.from('\ufeff{"a":1}')), { a: 1 });
    for (const text of ['[]', '1', '"x"', 'null', '{'])
      assert.equal(
        outcome(() => parseJsonObject(text)),
        JsonErrorCodes.invalid,
        text,
      );
  });
});
