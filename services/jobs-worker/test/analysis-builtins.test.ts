import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '@helixgate/testing';
import { assemblyStatistics, fastaRecords, predictSecondaryStructure } from '../src/analysis-builtins';

describe('fastaRecords and assemblyStatistics (the fasta_stats job)', () => {
  test('contigs, total length, N50/L50, GC, on a hand-checked assembly', () => {
    const text = '>a desc\nGGGGGCCCCC\n>b\nAAAAA\nTTTTT\nGGGGG\n>c\r\nACGTN\r\n';
    assert.deepEqual(
      fastaRecords(text).map((r) => [r.id, r.sequence.length]),
      [
        ['a', 10],
        ['b', 15],
        ['c', 5],
      ],
    );
    // lengths 15, 10, 5 (total 30): 15 reaches half, so N50 15 and L50 1; GC 10+5+2 of 29 A/C/G/T
    assert.deepEqual(assemblyStatistics(text), {
      contigs: 3,
      total_length: 30,
      n50: 15,
      l50: 1,
      longest: 15,
      shortest: 5,
      gc_percent: 58.62,
      ambiguous_bases: 1,
    });
  });

  test('N50 of a real assembly equals the textbook definition computed another way', () => {
    const text = readFileSync(join(repoRoot(), '..', 'shared', 'data', 'genomes', 'example.fna'), 'latin1');
    const records = fastaRecords(text);
    const stats = assemblyStatistics(text);
    const lengths = records.map((r) => r.sequence.length);
    const half = lengths.reduce((a, b) => a + b, 0) / 2;
    const n50 = [...lengths]
      .sort((a, b) => a - b)
      .find(
        (_, i, sorted) =>
          sorted.slice(i).reduce((a, b) => a + b, 0) >= half && sorted.slice(i + 1).reduce((a, b) => a + b, 0) < half,
      );
    assert.equal(stats.n50, n50);
    assert.equal(stats.contigs, lengths.length);
  });

  test('text that is not FASTA is refused with a reason', () => {
    assert.throws(() => fastaRecords('ACGT\n'), /does not start with a ">"/);
    assert.throws(() => fastaRecords(''), /no FASTA record/);
    assert.throws(() => assemblyStatistics('ACGT\n'), /does not start with a ">"/);
    assert.throws(() => assemblyStatistics(''), /no FASTA record/);
  });
});

describe('predictSecondaryStructure (the psipred job)', () => {
  test('one prediction per residue; helix formers give H, strand formers E, breakers C; scores sum to 1', () => {
    const prediction = predictSecondaryStructure('EEEEAAAALLLLMMMMEEEE' + 'GPGPGPGNGPGP' + 'VIVIYVIVTVIV');
    assert.equal(prediction.length, 44);
    assert.ok(prediction.slice(2, 16).every((p) => p.state === 'H'));
    assert.ok(prediction.slice(22, 30).every((p) => p.state === 'C'));
    assert.ok(prediction.slice(35, 44).every((p) => p.state === 'E'));
    for (const p of prediction) assert.ok(Math.abs(p.coil + p.helix + p.strand - 1) < 1e-9);
  });
});
