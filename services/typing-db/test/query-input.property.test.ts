import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import fc from 'fast-check';
import { parseQuery, readQuerySequence } from '../src/sequence-query/query-input';

/** Property-based checks of the sequence-query FASTA reader: any bytes, and FASTA files written every legal way. */
const IUPAC = 'ACGTUNRYSWKMBDHV';

/** A FASTA file made of records, with each sequence wrapped, cased and spaced at random, and the bases it must give. */
const fastaFile = fc
  .array(
    fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9_.|:-]{1,20}$/),
      description: fc.option(fc.stringMatching(/^[ -~]{0,30}$/), { nil: undefined }),
      bases: fc.array(fc.constantFrom(...Array.from(IUPAC)), { minLength: 1, maxLength: 300 }),
      width: fc.integer({ min: 1, max: 120 }),
      lower: fc.array(fc.boolean(), { minLength: 300, maxLength: 300 }),
      crlf: fc.boolean(),
      gaps: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((records) => {
    let text = '';
    for (const r of records) {
      const newline = r.crlf ? '\r\n' : '\n';
      text += `>${r.id}${r.description ? ` ${r.description}` : ''}${newline}`;
      const written = r.bases.map((b, i) => (r.lower[i] ? b.toLowerCase() : b) + (r.gaps && i % 7 === 3 ? '-' : ''));
      for (let at = 0; at < written.length; at += r.width)
        text += `${written.slice(at, at + r.width).join('')}${newline}`;
    }
    return { text, expected: records.map((r) => ({ id: r.id, bases: r.bases.join('').replace(/U/g, 'T') })) };
  });

/** A valid FASTA file with a few bytes replaced, inserted or cut: the inputs a reader is most likely to get wrong. */
const nearlyFasta = fc
  .tuple(
    fastaFile,
    fc.array(
      fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('set', 'insert', 'cut') }),
      { minLength: 1, maxLength: 5 },
    ),
  )
  .map(([{ text }, edits]) => {
    const bytes = [...Buffer.from(text)];
    for (const edit of edits) {
      const at = edit.at % (bytes.length + 1);
      if (edit.op === 'set' && at < bytes.length) bytes[at] = edit.byte;
      else if (edit.op === 'insert') bytes.splice(at, 0, edit.byte);
      else bytes.length = Math.min(bytes.length, at);
    }
    return Uint8Array.from(bytes);
  });

const asText = (bases: Uint8Array) => Buffer.from(bases).toString('latin1');

describe('sequence query input (property-based)', () => {
  test('any bytes: a parsed query of valid bases, or a 4xx ServiceError — never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 2000 }), nearlyFasta),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        (bytes, maxRecords) => {
          try {
            const parsed = parseQuery(Buffer.from(bytes), maxRecords);
            assert.ok(parsed.contigs.length >= 1);
            for (const contig of parsed.contigs) assert.match(asText(contig.bases), /^[A-Z*]+$/);
            if (maxRecords !== undefined) assert.ok(parsed.contigs.length <= maxRecords);
          } catch (error) {
            assert.ok(error instanceof ServiceError, String(error));
            assert.ok(error.status >= 400 && error.status < 500);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('FASTA written with any wrapping, case, CRLF and gaps reads back as its records and bases', () => {
    fc.assert(
      fc.property(fastaFile, ({ text, expected }) => {
        const parsed = parseQuery(Buffer.from(text));
        assert.equal(parsed.raw, false);
        assert.deepEqual(
          parsed.contigs.map((c) => ({ id: c.id, bases: asText(c.bases) })),
          expected,
        );
      }),
      { numRuns: 500 },
    );
  });

  test('the same file sent as base64 reads the same; any string as base64 is a query or a 4xx', () => {
    fc.assert(
      fc.property(fastaFile, ({ text }) => {
        const plain = parseQuery(Buffer.from(text));
        const encoded = readQuerySequence(Buffer.from(text).toString('base64'), true);
        assert.deepEqual(encoded, plain);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.anything()), (value) => {
        try {
          readQuerySequence(value, true);
        } catch (error) {
          assert.ok(error instanceof ServiceError && error.status >= 400 && error.status < 500, String(error));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
