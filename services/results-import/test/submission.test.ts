import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, checkSubmission, PatlasMessages, resultId } from '../src/documents/submission';

const SPEC_EXAMPLE = {
  type: 'mapping',
  samples: {
    sample_1: {
      NZ_CP015088_1: 0.6800298214104171,
      NZ_CP019048_1: 0.6414056876230454,
      NZ_CP029222_1: 1.0,
      NZ_CP022144_1: 0.782715083639,
      NC_019983_1: 0.608254857045898,
    },
  },
};

const check = (body: unknown) => checkSubmission(typeof body === 'string' ? body : JSON.stringify(body));
const messageOf = (body: unknown) => {
  const result = check(body);
  assert.equal(result.ok, false, `expected ${JSON.stringify(body)} to be refused`);
  return (result as { message: string }).message;
};

describe('checkSubmission: pATLAS order and texts', () => {
  for (const body of ['', 'not json', '{"type":', 'null', '{}', '[]', '0', 'false', '""', '[1]', '"text"', '42']) {
    test(`not a JSON object: ${JSON.stringify(body)}`, () => assert.equal(messageOf(body), PatlasMessages.notJson));
  }
  test('no type', () => assert.equal(messageOf({ samples: {} }), "No 'type' field was provided in the JSON object."));
  test('no samples', () =>
    assert.equal(messageOf({ type: 'mapping' }), "No 'samples' field was provided in the JSON object."));
  test('type checked before samples shape', () =>
    assert.equal(messageOf({ type: 1, samples: [] }), "The value provided through 'type' entry must be a string"));
  test('samples must be an object', () =>
    assert.equal(
      messageOf({ type: 'mapping', samples: [] }),
      "The value provided through 'sample' entry must be a dictionary / JSON object.",
    ));
  test('samples shape checked before the type name', () =>
    assert.equal(
      messageOf({ type: 'nope', samples: 'x' }),
      "The value provided through 'sample' entry must be a dictionary / JSON object.",
    ));
  test('unknown type', () =>
    assert.equal(
      messageOf({ type: 'consensus', samples: {} }),
      "'consensus' is not a valid type. Valid types are mapping or mash_screen or assembly.",
    ));
  test('missing type reported before missing samples', () =>
    assert.equal(messageOf({ other: 1 }), PatlasMessages.noType));
});

describe('checkSubmission: sample values by type', () => {
  test('the spec example is accepted', () => assert.equal(check(SPEC_EXAMPLE).ok, true));
  test('mapping values as numeric strings are accepted', () =>
    assert.equal(check({ type: 'mapping', samples: { s: { A_1: '0.5', B_1: 1, C_1: 0 } } }).ok, true));
  test('a sample with no hits is accepted', () =>
    assert.equal(check({ type: 'mapping', samples: { s: {} } }).ok, true));
  test('mash_screen [identity, copy_number], strings or numbers', () =>
    assert.equal(
      check({ type: 'mash_screen', samples: { s: { NZ_CP019138_1: ['0.996397', '1'], B_1: [0.9, 3] } } }).ok,
      true,
    ));
  test('assembly [identity, shared hashes, contig]', () =>
    assert.equal(check({ type: 'assembly', samples: { s: { NC_019102_1: [0.9012016, 0.967, 'contig1'] } } }).ok, true));

  const refused: Array<[string, unknown, RegExp]> = [
    ['no samples at all', { type: 'mapping', samples: {} }, /at least one sample/],
    ['a sample that is not an object', { type: 'mapping', samples: { s1: [1] } }, /^Sample 's1' must be a dictionary/],
    [
      'mapping above 1',
      { type: 'mapping', samples: { s1: { A_1: 1.5 } } },
      /^Sample 's1', accession 'A_1': a mapping value must be a number from 0 to 1.*not 1\.5\.$/,
    ],
    ['mapping negative', { type: 'mapping', samples: { s1: { A_1: -0.1 } } }, /accession 'A_1'/],
    ['mapping not numeric', { type: 'mapping', samples: { s1: { A_1: '0.5abc' } } }, /not "0\.5abc"/],
    ['mapping given as a list', { type: 'mapping', samples: { s1: { A_1: [0.5] } } }, /a mapping value/],
    [
      'mash_screen with three values',
      { type: 'mash_screen', samples: { s: { A_1: [0.9, 1, 2] } } },
      /a mash_screen value must be \[identity, copy_number\]/,
    ],
    ['mash_screen negative copies', { type: 'mash_screen', samples: { s: { A_1: [0.9, -1] } } }, /mash_screen/],
    [
      'assembly contig not a string',
      { type: 'assembly', samples: { s: { A_1: [0.9, 0.8, 3] } } },
      /an assembly value must be/,
    ],
    ['assembly identity above 1', { type: 'assembly', samples: { s: { A_1: [9, 0.8, 'c'] } } }, /an assembly value/],
  ];
  for (const [name, body, pattern] of refused) test(`refused: ${name}`, () => assert.match(messageOf(body), pattern));

  test('names the second sample when only it is wrong', () =>
    assert.match(
      messageOf({ type: 'mapping', samples: { good: { A_1: 0.5 }, bad: { B_1: 'x' } } }),
      /^Sample 'bad', accession 'B_1'/,
    ));
  test('hostile nesting: refused before parsing, inside samples or out (issue 14), with the depth in the message', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    assert.match(
      messageOf(`{"type":"mapping","samples":{"s":{"A_1":0.5}},"extra":${deep}}`),
      /nested more than 64 levels deep/,
    );
    assert.match(messageOf(`{"type":"mapping","samples":{"s":{"A_1":${deep}}}}`), /nested more than 64 levels deep/);
    // Within the limit, a nested value is checked as before.
    assert.match(
      messageOf(`{"type":"mapping","samples":{"s":{"A_1":${'['.repeat(10)}${']'.repeat(10)}}}}`),
      /^Sample 's', accession 'A_1': a mapping value must be/,
    );
  });

  test('prototype names as samples or accessions and NULs are refused (issue 14)', () => {
    assert.match(messageOf('{"type":"mapping","samples":{"__proto__":{"A_1":0.5}}}'), /"__proto__" is not accepted/);
    assert.match(messageOf('{"type":"mapping","samples":{"s":{"constructor":0.5}}}'), /"constructor" is not accepted/);
    assert.match(messageOf('{"type":"mapping","samples":{"s\\u0000":{"A_1":0.5}}}'), /NUL/);
    assert.equal(({} as Record<string, unknown>).A_1, undefined);
  });

  test('keys other than type and samples do not change the id', () => {
    const plain = check({ type: 'mapping', samples: { s: { A_1: 0.5 } } });
    const extra = check({ type: 'mapping', samples: { s: { A_1: 0.5 } }, note: 'x'.repeat(1000) });
    assert.ok(plain.ok && extra.ok);
    assert.equal(plain.canonical, extra.canonical);
  });

  test('clips very long names in messages', () => {
    const long = 'n'.repeat(5000);
    assert.ok(messageOf({ type: 'mapping', samples: { [long]: { A_1: 9 } } }).length < 400);
  });
});

describe('ids', () => {
  test('canonical JSON sorts keys at every level', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  test('key order does not change the id', () => {
    const reordered = {
      samples: { sample_1: Object.fromEntries(Object.entries(SPEC_EXAMPLE.samples.sample_1).reverse()) },
      type: 'mapping',
    };
    const a = check(SPEC_EXAMPLE);
    const b = check(reordered);
    assert.ok(a.ok && b.ok);
    assert.equal(resultId(a.canonical), resultId(b.canonical));
  });

  test('different documents get different ids', () => {
    const other = { ...SPEC_EXAMPLE, type: 'mash_screen', samples: { s: { A_1: [0.9, 1] } } };
    const a = check(SPEC_EXAMPLE);
    const b = check(other);
    assert.ok(a.ok && b.ok);
    assert.notEqual(resultId(a.canonical), resultId(b.canonical));
  });

  test('the id of a document never changes between versions (links stay valid)', () => {
    const a = check(SPEC_EXAMPLE);
    assert.ok(a.ok);
    assert.equal(resultId(a.canonical), '16632164880999859784');
  });

  test('ids are unsigned 64-bit decimals', () => {
    for (let i = 0; i < 200; i += 1) {
      const id = BigInt(resultId(`{"n":${i}}`));
      assert.ok(id >= 0n && id < 2n ** 64n);
    }
  });
});
