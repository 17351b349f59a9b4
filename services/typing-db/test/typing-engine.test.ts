import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readPubmlstScheme, repoRoot, seededRandom } from '@helixgate/testing';
import { type LocusAlleles, packAlleles } from '../src/sequence-query/allele-index';
import { parseQuery, type QueryContig, readQuerySequence } from '../src/sequence-query/query-input';
import { type PartialHit, TypingEngine } from '../src/sequence-query/typing-engine';

/**
 * The typing engine checked against the known answers for real genomes and, case by case, against blastn itself,
 * run as BIGSdb runs it. blastn and makeblastdb come from ncbi-blast+ (deploy/local/system-packages.sh).
 */
const DATA = join(repoRoot(), '..', 'shared', 'data');
const GENOMES = join(DATA, 'genomes');
const BLASTN_ARGS = [
  '-word_size',
  '20',
  '-dust',
  'no',
  '-outfmt',
  '6',
  '-max_target_seqs',
  '1000000',
  '-evalue',
  '0.001',
];

// ---------------------------------------------------------------------------------------------------------------
// Data, read without the code under test

interface FastaRecord {
  id: string;
  seq: string;
}

const schemeCache = new Map<string, LocusAlleles[]>();

/** A PubMLST scheme folder's loci, read from the files themselves (see readPubmlstScheme). */
function loadScheme(scheme: string): LocusAlleles[] {
  const cached = schemeCache.get(scheme);
  if (cached) return cached;
  const loci = readPubmlstScheme(join(DATA, 'pubmlst', scheme));
  schemeCache.set(scheme, loci);
  return loci;
}

/** FASTA records: id = first word of the header (BLAST's qseqid), bases upper-cased with whitespace removed. */
function readFasta(path: string): FastaRecord[] {
  return readFileSync(path, 'latin1')
    .split('>')
    .slice(1)
    .map((record) => {
      const newline = record.indexOf('\n');
      const header = record.slice(0, newline).trim();
      return {
        id: header.split(/\s+/)[0],
        seq: record
          .slice(newline + 1)
          .replace(/\s+/g, '')
          .toUpperCase(),
      };
    });
}

const contigsOf = (records: FastaRecord[]): QueryContig[] =>
  records.map((r) => ({ id: r.id, bases: new Uint8Array(Buffer.from(r.seq, 'latin1')) }));
const toFasta = (records: FastaRecord[]) => records.map((r) => `>${r.id}\n${r.seq}\n`).join('');

const engineCache = new Map<string, TypingEngine>();
function engineFor(scheme: string): TypingEngine {
  let engine = engineCache.get(scheme);
  if (!engine) {
    engine = new TypingEngine(packAlleles(`${scheme}|test`, loadScheme(scheme)));
    engineCache.set(scheme, engine);
  }
  return engine;
}

const locusOf = (scheme: string, name: string) => {
  const locus = loadScheme(scheme).find((l) => l.name === name);
  assert.ok(locus, `${scheme} has no locus ${name}`);
  return locus;
};

// ---------------------------------------------------------------------------------------------------------------
// blastn, run as BIGSdb runs it

let work = '';
before(() => {
  work = mkdtempSync(join(tmpdir(), 'typing-engine-test-'));
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const dbCache = new Map<string, string>();

/** A BLAST database of the given loci's alleles, in the engine index's order (the order decides ties). */
function blastDb(key: string, loci: LocusAlleles[]): string {
  const cached = dbCache.get(key);
  if (cached) return cached;
  const fasta = join(work, `${key}.fas`);
  writeFileSync(fasta, loci.flatMap((l) => l.alleles.map((a) => `>${l.name}_${a.id}\n${a.sequence}\n`)).join(''));
  const db = join(work, key);
  execFileSync('makeblastdb', ['-in', fasta, '-dbtype', 'nucl', '-out', db], { stdio: ['ignore', 'ignore', 'pipe'] });
  dbCache.set(key, db);
  return db;
}

interface BlastLine {
  contig: string;
  allele: string;
  pident: string;
  length: number;
  mismatch: number;
  gapopen: number;
  qstart: number;
  qend: number;
  sstart: number;
  send: number;
  evalue: string;
  bitscore: string;
  line: string;
}

let queryCounter = 0;

/** blastn's outfmt 6 lines, in the order it prints them. Runs in the background: the engine can work meanwhile. */
function blastn(db: string, query: string | { file: string }): Promise<BlastLine[]> {
  let file: string;
  if (typeof query === 'string') {
    file = join(work, `query-${++queryCounter}.fa`);
    writeFileSync(file, query);
  } else {
    file = query.file;
  }
  return new Promise((resolve, reject) => {
    execFile(
      'blastn',
      [...BLASTN_ARGS, '-db', db, '-query', file],
      { encoding: 'latin1', maxBuffer: 1 << 28 },
      (error, stdout) => {
        if (error) {
          const failure: Error = error;
          reject(failure);
          return;
        }
        resolve(
          stdout
            .split('\n')
            .filter((line) => line.length > 0)
            .map((line) => {
              const f = line.split('\t');
              return {
                contig: f[0],
                allele: f[1],
                pident: f[2],
                length: +f[3],
                mismatch: +f[4],
                gapopen: +f[5],
                qstart: +f[6],
                qend: +f[7],
                sstart: +f[8],
                send: +f[9],
                evalue: f[10],
                bitscore: f[11],
                line,
              };
            }),
        );
      },
    );
  });
}

/** Exact full-length hits as BIGSdb reads them from blastn: 100% identity over the whole allele, one per allele and start. */
function blastExact(lines: BlastLine[], lengths: Map<string, number>): string[] {
  const seen = new Set<string>();
  for (const l of lines) {
    const length = lengths.get(l.allele);
    assert.ok(length, `blastn reported an unknown allele ${l.allele}`);
    if (l.pident !== '100.000' || l.mismatch !== 0 || l.gapopen !== 0 || l.length !== length) continue;
    if (Math.min(l.sstart, l.send) !== 1 || Math.max(l.sstart, l.send) !== length) continue;
    seen.add(`${l.contig} ${l.allele} ${l.qstart}-${l.qend} ${l.sstart > l.send ? 'reverse' : 'forward'}`);
  }
  return [...seen].sort();
}

function engineExact(engine: TypingEngine, contigs: QueryContig[], loci?: number[]): string[] {
  const d = engine.data;
  return engine
    .exactMatches(contigs, loci)
    .map(
      (h) =>
        `${contigs[h.contig].id} ${d.loci[engine.locusOfAllele(h.allele)]}_${d.alleleIds[h.allele]} ${h.start}-${h.end} ${h.reverse ? 'reverse' : 'forward'}`,
    )
    .sort();
}

function alleleLengths(loci: LocusAlleles[]): Map<string, number> {
  return new Map(loci.flatMap((l) => l.alleles.map((a): [string, number] => [`${l.name}_${a.id}`, a.sequence.length])));
}

/** The fields of blastn's outfmt 6 line the engine must reproduce, from either side. */
interface Comparable {
  contig: string;
  allele: string;
  pident: string;
  length: number;
  mismatch: number;
  gapopen: number;
  qstart: number;
  qend: number;
  sstart: number;
  send: number;
  reverse: boolean;
}

const fromBlast = (l: BlastLine): Comparable => ({
  contig: l.contig,
  allele: l.allele,
  pident: l.pident,
  length: l.length,
  mismatch: l.mismatch,
  gapopen: l.gapopen,
  qstart: l.qstart,
  qend: l.qend,
  sstart: l.sstart,
  send: l.send,
  reverse: l.sstart > l.send,
});

const fromEngine = (engine: TypingEngine, contigs: QueryContig[], h: PartialHit): Comparable => ({
  contig: contigs[h.contig].id,
  allele: `${engine.data.loci[engine.locusOfAllele(h.allele)]}_${engine.data.alleleIds[h.allele]}`,
  pident: h.identity.toFixed(3),
  length: h.alignment.length,
  mismatch: h.alignment.mismatches,
  gapopen: h.alignment.gapOpens,
  qstart: h.qstart,
  qend: h.qend,
  sstart: h.sstart,
  send: h.send,
  reverse: h.reverse,
});

/** A bit score as blastn prints it (align_format_util.cpp): truncated to an integer above 99.9, one decimal below. */
const blastBitScore = (bits: number) =>
  bits > 99999 ? bits.toExponential(3) : bits > 99.9 ? String(Math.trunc(bits)) : bits.toFixed(1);

const show = (c: Comparable | undefined, bitscore?: string) =>
  c
    ? `${c.contig} ${c.allele} ${c.pident} ${c.length} ${c.mismatch} ${c.gapopen} ${c.qstart} ${c.qend} ${c.sstart} ${c.send} bitscore ${bitscore}${c.reverse ? ' (reverse)' : ''}`
    : '(no hit)';

// ---------------------------------------------------------------------------------------------------------------
// Deterministic query building

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };
const revcomp = (s: string) =>
  Array.from(s)
    .reverse()
    .map((c) => COMPLEMENT[c] ?? c)
    .join('');

// ---------------------------------------------------------------------------------------------------------------

describe('typing engine: exact typing of genomes with a known answer, checked against blastn', () => {
  const KNOWN: Array<{ file: string; scheme: string; st: string; profile: Record<string, string> }> = [
    {
      file: 'neisseria_A.fna',
      scheme: 'neisseria',
      st: 'ST-4',
      profile: { abcZ: '1', adk: '3', aroE: '3', fumC: '1', gdh: '4', pdhC: '2', pgm: '3' },
    },
    {
      file: 'neisseria_B.fna',
      scheme: 'neisseria',
      st: 'ST-8',
      profile: { abcZ: '2', adk: '3', aroE: '7', fumC: '2', gdh: '8', pdhC: '5', pgm: '2' },
    },
    {
      file: 'neisseria_W.fna',
      scheme: 'neisseria',
      st: 'ST-11',
      profile: { abcZ: '2', adk: '3', aroE: '4', fumC: '3', gdh: '8', pdhC: '4', pgm: '6' },
    },
    {
      file: 'example.fna',
      scheme: 'sepidermidis',
      st: 'ST-184',
      profile: { arcC: '16', aroE: '1', gtr: '2', mutS: '1', pyrR: '2', tpiA: '1', yqiL: '1' },
    },
  ];

  for (const known of KNOWN) {
    test(`${known.file}: ${known.st} (${known.scheme}); every exact hit (locus, allele, start, end, strand) as blastn reports it`, async () => {
      const loci = loadScheme(known.scheme);
      const path = join(GENOMES, known.file);
      // blastn against a db of the whole scheme, in the background while the engine types the genome.
      const blast = blastn(blastDb(known.scheme, loci), { file: path });
      const engine = engineFor(known.scheme);
      const contigs = contigsOf(readFasta(path));
      const hits = engine.exactMatches(contigs);

      // The known answer: each locus has exactly one allele matching exactly, the profile's.
      const found: Record<string, string> = {};
      for (const locus of loci) {
        const l = engine.locusIndex(locus.name);
        const ids = [
          ...new Set(
            hits.filter((h) => engine.locusOfAllele(h.allele) === l).map((h) => engine.data.alleleIds[h.allele]),
          ),
        ];
        found[locus.name] = ids.join('/') || '(none)';
      }
      assert.deepEqual(found, known.profile, `${known.file} should type as ${known.st}`);

      const expected = blastExact(await blast, alleleLengths(loci));
      assert.ok(expected.length >= loci.length, `blastn found only ${expected.length} exact hits`);
      assert.deepEqual(engineExact(engine, contigs), expected, 'exact hits: engine (actual) vs blastn (expected)');
    });
  }
});

describe('typing engine: queries with no answer', () => {
  test('none.fa: no exact hit for any scheme (blastn agrees)', async () => {
    const path = join(GENOMES, 'none.fa');
    const schemes = ['neisseria', 'saureus', 'sepidermidis'];
    const blast = schemes.map((scheme) => blastn(blastDb(scheme, loadScheme(scheme)), { file: path }));
    const contigs = parseQuery(readFileSync(path)).contigs;
    for (const scheme of schemes) assert.deepEqual(engineExact(engineFor(scheme), contigs), [], scheme);
    for (const [i, scheme] of schemes.entries())
      assert.deepEqual(blastExact(await blast[i], alleleLengths(loadScheme(scheme))), [], `${scheme} (blastn)`);
  });

  test('empty.fa (a header, no sequence) and null.fa (zero bytes) are rejected with a clear 400, sent as base64 or not', () => {
    const cases: Array<[string, RegExp]> = [
      ['empty.fa', /not a valid FASTA file.*empty_seq|empty_seq.*no sequence/],
      ['null.fa', /Required field missing: sequence/],
    ];
    for (const [file, message] of cases) {
      const content = readFileSync(join(GENOMES, file));
      for (const [sequence, base64] of [
        [content.toString('base64'), true],
        [content.toString('utf8'), false],
      ] as Array<[string, boolean]>) {
        assert.throws(
          () => readQuerySequence(sequence, base64),
          (e: unknown) => {
            const error = e as { status?: number; message?: string };
            assert.equal(error.status, 400, `${file} base64=${base64}: status`);
            assert.match(String(error.message), message, `${file} base64=${base64}: message`);
            return true;
          },
          `${file} base64=${base64}`,
        );
      }
    }
  });
});

describe('typing engine: best match is the first line blastn prints (db of the queried locus only)', () => {
  test('novel.fa against S. epidermidis gtr: gtr_76 89.744 39 4 0 89182 89220 100 62', async () => {
    const path = join(GENOMES, 'novel.fa');
    const blast = blastn(blastDb('sepidermidis-gtr', [locusOf('sepidermidis', 'gtr')]), { file: path });
    const engine = engineFor('sepidermidis');
    const contigs = contigsOf(readFasta(path));
    const locus = engine.locusIndex('gtr');
    assert.deepEqual(engine.exactMatches(contigs, [locus]), [], 'gtr is novel in novel.fa');
    const hit = engine.bestPartialHit(contigs, locus, engine.databaseSize([locus]), 'output');
    const expected: Comparable = {
      contig: contigs[0].id,
      allele: 'gtr_76',
      pident: '89.744',
      length: 39,
      mismatch: 4,
      gapopen: 0,
      qstart: 89182,
      qend: 89220,
      sstart: 100,
      send: 62,
      reverse: true,
    };
    assert.deepEqual(hit && fromEngine(engine, contigs, hit), expected);
    assert.equal(hit && blastBitScore(hit.bitscore), '51.0', 'bit score');
    const first = (await blast)[0];
    assert.deepEqual(first && fromBlast(first), expected, 'blastn itself');
  });

  interface Case {
    name: string;
    scheme: string;
    locus: string;
    records: FastaRecord[];
    /** The allele is embedded unchanged: exact hits are compared as well. */
    exact?: boolean;
  }

  /** 30-odd queries made with a fixed seed from real alleles in real flanking sequence. */
  function generatedCases(): Case[] {
    const rng = seededRandom(20240611);
    const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
    const none = readFasta(join(GENOMES, 'none.fa'))[0].seq;
    // 60 kb of N. meningitidis Z2491 in which blastn finds no hit for any neisseria locus.
    const z2491 = readFasta(join(GENOMES, 'neisseria_A.fna'))[0].seq.slice(100_000, 160_000);
    const flank = (source: string, length: number) => {
      const from = int(0, source.length - length);
      return source.slice(from, from + length);
    };
    const otherBase = (c: string) => 'ACGT'.replace(c, '')[int(0, 2)];
    /** count substitutions at distinct positions in [lo, hi]. */
    const snps = (s: string, count: number, lo = 10, hi = s.length - 11) => {
      const chars = Array.from(s);
      const done = new Set<number>();
      while (done.size < count) {
        const at = int(lo, hi);
        if (done.has(at)) continue;
        done.add(at);
        chars[at] = otherBase(chars[at]);
      }
      return chars.join('');
    };
    const pick = (locus: string) => {
      const alleles = locusOf('neisseria', locus).alleles;
      return alleles[int(0, Math.min(alleles.length, 300) - 1)];
    };

    const cases: Case[] = [];
    const add = (c: Omit<Case, 'records'> & { seq?: string; records?: FastaRecord[] }) =>
      cases.push({ ...c, records: c.records ?? [{ id: `case_${cases.length + 1}`, seq: c.seq! }] });
    const variants: Array<[string, (s: string) => string]> = [
      ['1 SNP', (s) => snps(s, 1)],
      ['3 SNPs', (s) => snps(s, 3)],
      ['10 SNPs', (s) => snps(s, 10)],
      [
        '1-base insertion',
        (s) => {
          const at = int(30, s.length - 30);
          return s.slice(0, at) + 'ACGT'[int(0, 3)] + s.slice(at);
        },
      ],
      [
        '1-base deletion',
        (s) => {
          const at = int(30, s.length - 30);
          return s.slice(0, at) + s.slice(at + 1);
        },
      ],
      [
        '3-base deletion',
        (s) => {
          const at = int(30, s.length - 30);
          return s.slice(0, at) + s.slice(at + 3);
        },
      ],
      ['SNP at allele position 3 (2 matching bases before it)', (s) => snps(s, 1, 2, 2)],
      ['SNP 3rd from the allele end (2 matching bases after it)', (s) => snps(s, 1, s.length - 3, s.length - 3)],
      ['SNP 4th from the allele end (3 matching bases after it)', (s) => snps(s, 1, s.length - 4, s.length - 4)],
      ['SNPs at allele positions 2 and len-1', (s) => snps(snps(s, 1, 1, 1), 1, s.length - 2, s.length - 2)],
      ['SNP at the first base and 5 inner SNPs', (s) => snps(snps(s, 1, 0, 0), 5)],
    ];
    // Each variant on two of the three loci, forward and reverse complemented.
    const loci = ['abcZ', 'fumC', 'pgm'];
    variants.forEach(([name, mutate], v) => {
      for (const [k, reverse] of [
        [0, false],
        [1, true],
      ] as Array<[number, boolean]>) {
        const locus = loci[(v + k) % loci.length];
        const allele = pick(locus);
        const source = rng() < 0.5 ? none : z2491;
        const seq = flank(source, 2500) + mutate(allele.sequence) + flank(source, 2500);
        add({
          name: `${locus}_${allele.id}: ${name}${reverse ? ', reverse complement' : ''}`,
          scheme: 'neisseria',
          locus,
          seq: reverse ? revcomp(seq) : seq,
        });
      }
    });
    // Truncations: the allele (with 2 SNPs) runs off a contig end, cut by 30-100 bp, on either strand.
    (['start', 'end'] as const).forEach((end, e) => {
      for (const reverse of [false, true]) {
        const locus = loci[(e * 2 + (reverse ? 1 : 0)) % loci.length];
        const allele = pick(locus);
        const cut = int(30, 100);
        const body = snps(allele.sequence, 2);
        const seq =
          end === 'start' ? body.slice(cut) + flank(none, 3000) : flank(none, 3000) + body.slice(0, body.length - cut);
        const at = reverse ? (end === 'start' ? 'end' : 'start') : end;
        add({
          name: `${locus}_${allele.id}: 2 SNPs, allele ${end} cut by ${cut} bp at the contig ${at}${reverse ? ', reverse complement' : ''}`,
          scheme: 'neisseria',
          locus,
          seq: reverse ? revcomp(seq) : seq,
        });
      }
    });
    // Exact copies: the best match and the exact hits both as blastn has them.
    for (const [locus, reverse] of [
      ['abcZ', false],
      ['pgm', true],
    ] as Array<[string, boolean]>) {
      const allele = pick(locus);
      const seq = flank(z2491, 2000) + allele.sequence + flank(z2491, 2000);
      add({
        name: `${locus}_${allele.id}: exact copy${reverse ? ', reverse complement' : ''}`,
        scheme: 'neisseria',
        locus,
        exact: true,
        seq: reverse ? revcomp(seq) : seq,
      });
    }
    // Multi-record FASTA. blastn prints record 1's hits before record 2's, whatever their scores.
    {
      const a = pick('fumC');
      const b = pick('fumC');
      const c = pick('abcZ');
      add({
        name: `fumC_${a.id}: 3 SNPs in the 2nd of 3 records`,
        scheme: 'neisseria',
        locus: 'fumC',
        records: [
          { id: 'contig_1', seq: flank(none, 4000) },
          { id: 'contig_2', seq: flank(none, 1500) + snps(a.sequence, 3) + flank(none, 1500) },
          { id: 'contig_3', seq: flank(z2491, 4000) },
        ],
      });
      add({
        name: `fumC_${b.id} with 12 SNPs in record 1, fumC_${a.id} with 1 SNP in record 2`,
        scheme: 'neisseria',
        locus: 'fumC',
        records: [
          { id: 'contig_1', seq: flank(z2491, 1500) + snps(b.sequence, 12) + flank(z2491, 1500) },
          { id: 'contig_2', seq: flank(none, 1500) + snps(a.sequence, 1) + flank(none, 1500) },
        ],
      });
      add({
        name: `abcZ_${c.id}: 1-base deletion at allele position 201, reverse complement, in the 2nd of 2 records`,
        scheme: 'neisseria',
        locus: 'abcZ',
        records: [
          { id: 'contig_1', seq: flank(none, 3000) },
          {
            id: 'contig_2',
            seq: revcomp(flank(none, 1000) + c.sequence.slice(0, 200) + c.sequence.slice(201) + flank(none, 1000)),
          },
        ],
      });
    }
    // S. epidermidis: a gtr allele with 4 SNPs inside novel.fa's own sequence, near novel.fa's weak gtr hit.
    {
      const novel = readFasta(join(GENOMES, 'novel.fa'))[0].seq;
      const gtr = locusOf('sepidermidis', 'gtr').alleles;
      const allele = gtr[int(0, gtr.length - 1)];
      const snp = (s: string) => {
        const chars = Array.from(s);
        for (let k = 0; k < 4; k++) {
          const at = int(10, s.length - 11);
          chars[at] = otherBase(chars[at]);
        }
        return chars.join('');
      };
      add({
        name: `gtr_${allele.id}: up to 4 SNPs in 6 kb of novel.fa`,
        scheme: 'sepidermidis',
        locus: 'gtr',
        seq: novel.slice(86_000, 89_000) + snp(allele.sequence) + novel.slice(89_000, 92_000),
      });
    }
    return cases;
  }

  interface Outcome {
    name: string;
    blast?: BlastLine;
    engine?: Comparable;
    engineBits?: string;
    exact?: { blast: string[]; engine: string[] };
  }

  let outcomes: Promise<Outcome[]> | undefined;

  /**
   * Every generated case through the engine and blastn (once, shared by the tests below). Single-record cases of
   * a locus go to blastn as one multi-query file: blastn's statistics and output are per query, the same as one
   * run per query. Multi-record cases get a run of their own, since the first line of the whole output counts.
   */
  function runCases(): Promise<Outcome[]> {
    outcomes ??= (async () => {
      const cases = generatedCases();
      const dbOf = (c: Case) => blastDb(`${c.scheme}-${c.locus}`, [locusOf(c.scheme, c.locus)]);
      const batches = new Map<string, Case[]>();
      const runs = new Map<Case, Promise<BlastLine[]>>();
      for (const c of cases) {
        if (c.records.length > 1) runs.set(c, blastn(dbOf(c), toFasta(c.records)));
        else batches.set(dbOf(c), [...(batches.get(dbOf(c)) ?? []), c]);
      }
      for (const [db, batch] of batches) {
        const run = blastn(db, batch.map((c) => toFasta(c.records)).join(''));
        for (const c of batch)
          runs.set(
            c,
            run.then((lines) => lines.filter((l) => l.contig === c.records[0].id)),
          );
      }
      const results: Outcome[] = [];
      for (const c of cases) {
        const engine = engineFor(c.scheme);
        const locus = engine.locusIndex(c.locus);
        const contigs = contigsOf(c.records);
        const hit = engine.bestPartialHit(contigs, locus, engine.databaseSize([locus]), 'output');
        const outcome: Outcome = {
          name: c.name,
          engine: hit && fromEngine(engine, contigs, hit),
          engineBits: hit && blastBitScore(hit.bitscore),
        };
        if (c.exact) outcome.exact = { blast: [], engine: engineExact(engine, contigs, [locus]) };
        results.push(outcome);
      }
      for (const [i, c] of cases.entries()) {
        const lines = await runs.get(c)!;
        results[i].blast = lines[0];
        if (c.exact) results[i].exact!.blast = blastExact(lines, alleleLengths(loadScheme(c.scheme)));
      }
      return results;
    })();
    return outcomes;
  }

  test('generated variants (SNPs, indels, truncations, both strands, ends, multi-record): allele, pident, length, mismatches, gap opens, q/s coordinates and strand as blastn', async (t) => {
    const results = await runCases();
    assert.ok(results.length >= 30, `${results.length} cases`);
    const problems: string[] = [];
    for (const r of results) {
      if (!r.blast) problems.push(`${r.name}: blastn found nothing, so the case tests nothing`);
      const expected = r.blast && fromBlast(r.blast);
      if (JSON.stringify(expected) !== JSON.stringify(r.engine))
        problems.push(
          `${r.name}\n      blastn: ${r.blast?.line ?? '(no hit)'}\n      engine: ${show(r.engine, r.engineBits)}`,
        );
    }
    t.diagnostic(`${results.length} cases, ${problems.length} disagree with blastn`);
    assert.equal(
      problems.length,
      0,
      `${problems.length} of ${results.length} cases disagree with blastn's first line:\n  ${problems.join('\n  ')}`,
    );
  });

  test('generated variants: the bit score as blastn prints it', async () => {
    const results = await runCases();
    const problems = results
      .filter((r) => r.blast && r.engineBits !== r.blast.bitscore)
      .map((r) => `${r.name}: blastn ${r.blast!.bitscore} (${r.blast!.line}), engine ${r.engineBits}`);
    assert.equal(
      problems.length,
      0,
      `${problems.length} of ${results.length} bit scores differ:\n  ${problems.join('\n  ')}`,
    );
  });

  test("exact copies in generated queries: exact hits identical to blastn's", async () => {
    const results = (await runCases()).filter((r) => r.exact);
    assert.ok(results.length >= 2);
    for (const r of results) {
      assert.ok(r.exact!.blast.length > 0, `${r.name}: blastn found no exact hit`);
      assert.deepEqual(r.exact!.engine, r.exact!.blast, r.name);
    }
  });
});

describe('query input parsing (BIGSdb rules)', () => {
  const text = (c: QueryContig) => Buffer.from(c.bases).toString('latin1');
  const status = (f: () => unknown, code: number, message?: RegExp | string) =>
    assert.throws(f, (e: unknown) => {
      const error = e as { status?: number; message: string };
      assert.equal(error.status, code, `status for: ${error.message}`);
      if (typeof message === 'string') assert.equal(error.message, message);
      else if (message) assert.match(error.message, message);
      return true;
    });

  test('raw sequence: one record named "Query", raw; lower case and U accepted, whitespace and "-" dropped', () => {
    const parsed = parseQuery(Buffer.from('  acgu ACGT\n\tnn-ac\r\nG-T \n'));
    assert.equal(parsed.raw, true);
    assert.equal(parsed.dna, true);
    assert.deepEqual(
      parsed.contigs.map((c) => [c.id, text(c)]),
      [['Query', 'ACGTACGTNNACGT']],
    );
    const viaRead = readQuerySequence('acgtuacgt', false);
    assert.deepEqual(
      viaRead.contigs.map((c) => [c.id, text(c)]),
      [['Query', 'ACGTTACGT']],
    );
    assert.equal(viaRead.raw, true);
  });

  test('FASTA: ids are the first word of the header, records in order, CRLF tolerated', () => {
    const parsed = parseQuery(Buffer.from('>contig_1 len=8 cov=3\r\nACGT\r\nacgt\r\n>contig_2\nTT-TT\n'));
    assert.equal(parsed.raw, false);
    assert.deepEqual(
      parsed.contigs.map((c) => [c.id, text(c)]),
      [
        ['contig_1', 'ACGTACGT'],
        ['contig_2', 'TTTT'],
      ],
    );
    const b64 = readQuerySequence(Buffer.from('>x\nACGT\n').toString('base64'), true);
    assert.deepEqual(
      b64.contigs.map((c) => [c.id, text(c)]),
      [['x', 'ACGT']],
    );
  });

  test('DNA when at least 80% of the characters are A, C, G, T, U or N; otherwise peptide', () => {
    assert.equal(parseQuery(Buffer.from('MKVLAAGIVGLLLAQ')).dna, false);
    assert.equal(parseQuery(Buffer.from('ACGUNACGEQK')).dna, false, '8 of 11 is below 80%');
    assert.equal(parseQuery(Buffer.from('ACGUNACGEQ')).dna, true, '8 of 10 is 80%');
    assert.equal(parseQuery(Buffer.from('ACGTNACGTE')).dna, true, '9 of 10');
    assert.equal(parseQuery(Buffer.from('ACGTNACEQK')).dna, false, '7 of 10');
  });

  test('invalid characters are a 400 naming the character', () => {
    status(() => parseQuery(Buffer.from('ACGT1ACGT')), 400, /"1"/);
    status(() => parseQuery(Buffer.from('>x\nAC#GT\n')), 400, /"#"/);
    status(() => readQuerySequence('ACGT?', false), 400);
  });

  test('base64: garbage is a 400; decoded text that is not FASTA is "Sequence is not a valid FASTA file."', () => {
    status(() => readQuerySequence('!!! not base64 !!!', true), 400);
    status(() => readQuerySequence('QUNH=VA', true), 400);
    status(
      () => readQuerySequence(Buffer.from('ACGTACGT').toString('base64'), true),
      400,
      'Sequence is not a valid FASTA file.',
    );
  });

  test('missing or non-string sequence is a 400', () => {
    status(() => readQuerySequence(undefined, false), 400);
    status(() => readQuerySequence('', false), 400);
    status(() => readQuerySequence('   \n', false), 400);
    status(() => readQuerySequence(42, false), 400);
  });

  test('more records than maxRecords is a 413; exactly maxRecords is fine', () => {
    const fasta = '>a\nACGT\n>b\nACGT\n>c\nACGT\n';
    status(() => readQuerySequence(fasta, false, 2), 413, /limit is 2/);
    status(() => readQuerySequence(Buffer.from(fasta).toString('base64'), true, 2), 413);
    assert.equal(readQuerySequence(fasta, false, 3).contigs.length, 3);
  });
});
