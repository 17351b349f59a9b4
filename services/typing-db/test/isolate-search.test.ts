import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROTOTYPE_KEYS, ServiceError } from '@helixgate/contracts';
import fc from 'fast-check';
import { searchTerms } from '../src/isolates/isolate-search';

const BEFORE = Object.getOwnPropertyNames(Object.prototype).sort();

/** Name parts as a hostile client writes them: prototype names, dots, empty, anything. */
const part = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, '', '1', 'ST', 'country', 'hgPolluted'),
  fc.string({ maxLength: 12 }),
);
const term = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('field', 'locus', 'scheme', 'oauth_x', '__proto__', 'constructor', ''),
      fc.array(part, { maxLength: 3 }),
    )
    .map(([c, p]) => [c, ...p].join('.')),
  fc.string(),
);
const value = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.constant([]),
);

/** A JSON body's terms, as JSON.parse would give them (a "__proto__" key is an own property). */
const terms = fc.array(fc.tuple(term, value), { maxLength: 6 }).map((entries) => {
  const body: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
  return body;
});

describe('BIGSdb isolate search terms', () => {
  test('arbitrary terms: Maps or a ServiceError 400, and Object.prototype untouched', () => {
    fc.assert(
      fc.property(terms, (body) => {
        try {
          const { fields, loci, schemes } = searchTerms(body);
          assert.ok(fields instanceof Map && loci instanceof Map && schemes instanceof Map);
          assert.ok(fields.size + loci.size + schemes.size > 0);
        } catch (error) {
          assert.ok(error instanceof ServiceError, String(error));
          assert.equal(error.status, 400);
        }
        assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), BEFORE);
        assert.equal(({} as Record<string, unknown>).hgPolluted, undefined);
      }),
      { numRuns: 3000 },
    );
  });

  test("the report's term, and prototype names in each place, are names like any other", () => {
    const polluting = searchTerms({ 'scheme.__proto__.hgPolluted': 'yes' });
    assert.deepEqual([...polluting.schemes.keys()], ['__proto__']);
    assert.equal(polluting.schemes.get('__proto__')?.get('hgPolluted'), 'yes');
    assert.equal(({} as Record<string, unknown>).hgPolluted, undefined);
    const each = searchTerms({
      'field.__proto__': 'x',
      'locus.constructor': '1',
      'scheme.prototype.ST': '11',
      'scheme.1.constructor': 2,
    });
    assert.deepEqual([...each.fields], [['__proto__', 'x']]);
    assert.deepEqual([...each.loci], [['constructor', '1']]);
    assert.deepEqual(
      [...each.schemes].map(([id, f]) => [id, [...f]]),
      [
        ['prototype', [['ST', '11']]],
        ['1', [['constructor', 2]]],
      ],
    );
  });

  test("BIGSdb's refusals: unknown category, no query, object values", () => {
    assert.throws(() => searchTerms({ 'isolate.x': 1 }), /isolate is not a recognized query parameter/);
    assert.throws(() => searchTerms({ oauth_nonce: 'n' }), /No query passed/);
    assert.throws(() => searchTerms({ 'field.country': { $gt: '' } }), /Malformed request/);
  });
});
