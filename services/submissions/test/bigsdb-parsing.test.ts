import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import {
  alleleMetadata,
  fileNameProblem,
  MAX_SUBMISSION_ROWS,
  parseProfiles,
  parseSequences,
  pgTimestamp,
  submissionId,
  tabular,
} from '../src/bigsdb-submissions/parsing';

const refusal = (fn: () => unknown, message: string) =>
  assert.throws(
    fn,
    (error: unknown) => error instanceof ServiceError && error.status === 400 && error.message === message,
  );

describe('BIGSdb submission parsing', () => {
  test('a raw sequence is named "seq"; FASTA ids are the first word; gaps, dots and case are dealt with', () => {
    assert.deepEqual(parseSequences('  acgt-ac.gt\n'), {
      sequences: [{ seqId: 'seq', sequence: 'ACGTACGT' }],
      errors: [],
    });
    const fasta = parseSequences('>one first\r\nACGT\r\n  ACGT\n\n>two\nGGCC\n');
    assert.deepEqual(fasta.sequences, [
      { seqId: 'one', sequence: 'ACGTACGT' },
      { seqId: 'two', sequence: 'GGCC' },
    ]);
  });

  test("bad FASTA gets every one of BIGSdb's errors, in order", () => {
    const { errors } = parseSequences('>\nACGT\n>x\nACGU\n>x\nAC\n>empty\n');
    assert.deepEqual(errors, [
      'Sequence identifier is missing.',
      'Sequence "x" is not a valid unambiguous DNA sequence.',
      'Sequence identifier "x" is used more than once in submission.',
      'Sequence identifier "empty" does not have a valid sequence.',
    ]);
    assert.deepEqual(parseSequences('MKV*', 'peptide').errors, []);
  });

  test('allele fields: required ones, the technology list, Illumina read length and coverage, assembly', () => {
    const ok = {
      locus: 'abcZ',
      technology: 'Illumina',
      read_length: 150,
      coverage: '>100x',
      assembly: 'mapped',
      software: 'BWA',
      sequences: 'ACGT',
    };
    assert.deepEqual(alleleMetadata(ok), {
      locus: 'abcZ',
      technology: 'Illumina',
      readLength: '150',
      coverage: '>100x',
      assembly: 'mapped',
      software: 'BWA',
    });
    refusal(
      () => alleleMetadata({ sequences: 'A' }),
      'Required field(s) missing: assembly, locus, software, technology',
    );
    refusal(
      () => alleleMetadata({ ...ok, read_length: '0' }),
      'Invalid value for read_length: 0. Allowed values are: <100, 100-199, 200-299, 300-499, >500 or any positive integer.',
    );
    refusal(() => alleleMetadata({ ...ok, coverage: undefined }), 'coverage must be provided for Illumina sequences.');
    refusal(() => alleleMetadata({ ...ok, locus: { $ne: 1 } }), 'Invalid value for locus.');
    assert.equal(
      alleleMetadata({ ...ok, technology: 'Sanger', read_length: undefined, coverage: undefined }).readLength,
      undefined,
    );
  });

  test('profiles: header loci, duplicate ids, N and empty values', () => {
    const loci = ['abcZ', 'adk'];
    assert.deepEqual(parseProfiles('id\tadk\tabcZ\nP1\t3\t2\n\n2\t"4"\t5  \n', loci), {
      profiles: [
        { profileId: 'P1', alleles: ['2', '3'] },
        { profileId: '2', alleles: ['5', '4'] },
      ],
      errors: [],
    });
    assert.deepEqual(parseProfiles('abcZ\tabcZ\n1\t1', loci).errors, [
      'The header is missing a column for locus: adk.',
      'The header has a duplicate column for locus: abcZ.',
    ]);
    assert.deepEqual(parseProfiles('abcZ\tadk\nN\t\n1\t1', loci).errors, [
      'Row 1: Arbitrary values (N) are not allowed for locus abcZ.',
      'Row 1: No value for locus adk.',
    ]);
    assert.deepEqual(parseProfiles('abcZ\tadk\n', loci).errors, ['No profiles in upload.']);
  });

  test('tab-separated rows: CRLF, trailing whitespace and blank lines', () => {
    assert.deepEqual(tabular('a\tb \r\n1\t2\r\n\r\n3\t\r\n'), { header: ['a', 'b'], rows: [['1', '2'], ['3']] });
    assert.deepEqual(tabular(''), { header: [''], rows: [] });
    assert.deepEqual(tabular('a\nx'), { header: ['a'], rows: [['x']] });
  });

  test('more rows than a submission may hold are refused while reading, blank lines not counted', () => {
    assert.equal(MAX_SUBMISSION_ROWS, 20_000);
    assert.equal(tabular(`h\n${'r\n\n'.repeat(3)}`, { maxRows: 3 }).rows.length, 3);
    refusal(
      () => tabular(`h\n${'r\n'.repeat(4)}`, { maxRows: 3, noun: 'isolates' }),
      'A submission may hold at most 3 isolates.',
    );
    refusal(
      () => tabular(`isolate\tspecies\n${'Q\tN\n'.repeat(MAX_SUBMISSION_ROWS + 1)}`, { noun: 'isolates' }),
      'A submission may hold at most 20000 isolates.',
    );
    const header = 'id\tabcZ';
    refusal(
      () => parseProfiles(`${header}\n${'P\t1\n'.repeat(MAX_SUBMISSION_ROWS + 1)}`, ['abcZ']),
      'A submission may hold at most 20000 profiles.',
    );
  });

  test('file names: separators, parent directories, control characters, hidden names and length', () => {
    for (const good of ['contigs.fasta', 'trace notes (2).ab1', 'séquence.fa', 'a.b.c'])
      assert.equal(fileNameProblem(good), undefined, good);
    for (const bad of [
      '../x',
      'a/b',
      'a\\b',
      '..',
      'x..y',
      '.hidden',
      'tab\there',
      'nul\u0000',
      'del\u007f',
      ' padded',
    ]) {
      assert.equal(fileNameProblem(bad), 'Filename contains invalid characters.', JSON.stringify(bad));
    }
    assert.equal(fileNameProblem('é'.repeat(128)), 'Filename is too long (at most 255 bytes).');
  });

  test("ids and timestamps in BIGSdb's formats", () => {
    const at = new Date(Date.UTC(2015, 9, 13, 8, 18, 36, 123));
    assert.equal(submissionId(at, 14559, 0.1474), 'BIGSdb_20151013081836_14559_14740');
    assert.equal(submissionId(at, 7, 0.00001), 'BIGSdb_20151013081836_7_00001');
    assert.equal(pgTimestamp(at, true), '2015-10-13 08:18:36+00');
    assert.equal(pgTimestamp(at, false), '2015-10-13 08:18:36.123000+00');
  });
});
