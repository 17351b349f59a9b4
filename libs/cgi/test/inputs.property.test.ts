import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../src/alterations';
import { INPUT_KINDS, parseInput, parseInputs } from '../src/inputs';

const BEFORE = Object.getOwnPropertyNames(Object.prototype).sort();

/** Cells as a hostile file holds them: the formats' column names, prototype names, HGVS-like values, anything. */
const cell = fc.oneof(
  fc.constantFrom(
    'sample',
    'protein',
    'gdna',
    'chr',
    'pos',
    'ref',
    'alt',
    'gene',
    'cna',
    'fus',
    'CHROM',
    'POS',
    'ID',
    'REF',
    'ALT',
  ),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '__PROTO__', 'hasOwnProperty', 'toString'),
  fc.constantFrom('BRAF:p.V600E', 'chr3:g.178936091G>A', '3', '100', 'A', '-', 'AMP', 'DEL', 'BCR__ABL1', 'S1', '.'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const line = fc.oneof(
  fc.array(cell, { maxLength: 7 }).map((cells) => cells.join('\t')),
  fc.constantFrom('', '##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT'),
);
const file = fc
  .tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, end]) => lines.join(end));

const unpolluted = () => assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), BEFORE);

describe('CGI input formats', () => {
  test('arbitrary files of each kind: parsed alterations or an InputError, never another error or a polluted prototype', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INPUT_KINDS), file, (kind, text) => {
        try {
          const parsed = parseInput(kind, text, 'input01');
          assert.ok(parsed.alterations.length > 0);
          for (const alteration of parsed.alterations) {
            assert.deepEqual(Object.keys(alteration.input).sort(), [...parsed.columns].sort());
            assert.equal(Object.getPrototypeOf(alteration.input), Object.prototype);
          }
        } catch (error) {
          assert.ok(error instanceof InputError, String(error));
        }
        unpolluted();
      }),
      { numRuns: 3000 },
    );
  });

  test('well-formed tables with arbitrary extra columns: each row keeps its columns as own keys, or an InputError', () => {
    const formats = {
      mutations: ['protein', 'BRAF:p.V600E'],
      cnas: ['gene', 'ERBB2', 'cna', 'AMP'],
      translocations: ['fus', 'BCR__ABL1'],
    } as const;
    const extra = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'note', 'sample'),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...INPUT_KINDS),
        fc.uniqueArray(extra, { maxLength: 3 }),
        fc.array(fc.string({ maxLength: 6 }), { minLength: 3, maxLength: 3 }),
        (kind, extras, values) => {
          const known = formats[kind];
          const names = [...known.filter((_, i) => i % 2 === 0), ...extras];
          const row = [...known.filter((_, i) => i % 2 === 1), ...extras.map((_, i) => values[i] ?? 'x')];
          try {
            const parsed = parseInput(kind, `${names.join('\t')}\n${row.join('\t')}\n`, 'S');
            for (const alteration of parsed.alterations)
              assert.deepEqual(Object.keys(alteration.input).sort(), [...parsed.columns].sort());
          } catch (error) {
            assert.ok(error instanceof InputError, String(error));
          }
          unpolluted();
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('a column named __proto__, constructor or prototype is refused, in a table and in a VCF header', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      assert.throws(
        () => parseInput('mutations', `protein\t${name}\nBRAF:p.V600E\tx\n`, 's'),
        new RegExp(`'${name}' is not accepted as a column name`),
      );
      assert.throws(() => parseInput('cnas', `${name}\tgene\tcna\nx\tERBB2\tAMP\n`, 's'), InputError);
      assert.throws(
        () => parseInput('mutations', `#CHROM\tPOS\tID\tREF\tALT\t${name}\n1\t10\t.\tA\tT\tx\n`, 's'),
        InputError,
      );
    }
    unpolluted();
  });

  test('parseInputs over arbitrary sets of files: results or an InputError', () => {
    fc.assert(
      fc.property(fc.record({ mutations: file, cnas: file, translocations: file }, { requiredKeys: [] }), (files) => {
        try {
          parseInputs(files);
        } catch (error) {
          assert.ok(error instanceof InputError, String(error));
        }
        unpolluted();
      }),
      { numRuns: 500 },
    );
  });
});
