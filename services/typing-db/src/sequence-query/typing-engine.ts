import { type AlleleIndexData, alleleLoci } from './allele-index';
import {
  bandedLocalAlignment,
  bandedLocalScore,
  bitScore,
  blastRawScore,
  sameRawScoreFloor,
  expectValue,
  type LocalAlignment,
  MEGABLAST_SCORING,
  ScoreBuffers,
} from './alignment';
import type { QueryContig } from './query-input';

/** Seed length: 16 bases fill the 32 bits of one integer, and any word_size-20 BLAST seed contains one. */
const K = 16;
/** blastn's word size in BIGSdb's runs: an alignment without an exact run this long is one blastn never reports. */
const BLAST_WORD = 20;
/** Seed diagonals this close together belong to one region. */
const REGION_GAP = 32;
/** Diagonals either side of a region's seeded ones the alignment may wander to (indels up to this many bases). */
const BAND = 16;
/** BIGSdb's -evalue for blastn. */
const EXPECT_CUTOFF = 0.001;

/** Two bits per base; 4 for anything else (N, IUPAC codes), which breaks a seed. */
const CODE = new Uint8Array(256).fill(4);
CODE[0x41] = 0;
CODE[0x43] = 1;
CODE[0x47] = 2;
CODE[0x54] = 3;
const COMPLEMENT = new Uint8Array(256);
for (let c = 0; c < 256; c++) COMPLEMENT[c] = c;
for (const [a, b] of ['AT', 'CG', 'RY', 'KM', 'BV', 'DH']) {
  COMPLEMENT[a.charCodeAt(0)] = b.charCodeAt(0);
  COMPLEMENT[b.charCodeAt(0)] = a.charCodeAt(0);
}

export function reverseComplement(bases: Uint8Array): Uint8Array {
  const out = new Uint8Array(bases.length);
  for (let i = 0, j = bases.length - 1; j >= 0; i++, j--) out[i] = COMPLEMENT[bases[j]];
  return out;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

function fnv(bytes: Uint8Array, from: number, to: number): number {
  let hash = FNV_OFFSET;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  return hash >>> 0;
}

const mix = (code: number) => Math.imul(code, 0x9e3779b1) >>> 0;

/**
 * A hash table from 16-base codes to a value, open addressing over typed arrays, with a 16-Mbit filter in front:
 * most positions of a genome are turned away by one bit test.
 */
class SeedTable {
  private readonly keys: Uint32Array;
  private readonly values: Int32Array;
  private readonly shift: number;
  private readonly mask: number;
  readonly filter = new Int32Array(1 << 19);

  constructor(entries: Map<number, number>) {
    let bits = 4;
    while (1 << bits < entries.size * 2) bits++;
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.keys = new Uint32Array(1 << bits);
    this.values = new Int32Array(1 << bits).fill(-1);
    for (const [code, value] of entries) {
      let slot = mix(code) >>> this.shift;
      while (this.values[slot] !== -1) slot = (slot + 1) & this.mask;
      this.keys[slot] = code;
      this.values[slot] = value;
      const h = mix(code) >>> 8;
      this.filter[h >>> 5] |= 1 << (h & 31);
    }
  }

  /** The value for a code (unsigned), or -1. */
  get(code: number): number {
    let slot = mix(code) >>> this.shift;
    for (;;) {
      const value = this.values[slot];
      if (value === -1 || this.keys[slot] === code) return value;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Calls visit(position of the seed's first base, code) for every 16-mer of ACGT whose filter bit is set. */
function scanSeeds(bases: Uint8Array, filter: Int32Array, visit: (start: number, code: number) => void): void {
  let code = 0;
  let valid = 0;
  for (let i = 0; i < bases.length; i++) {
    const b = CODE[bases[i]];
    if (b > 3) {
      valid = 0;
      continue;
    }
    code = ((code << 2) | b) >>> 0;
    if (++valid < K) continue;
    const h = mix(code) >>> 8;
    if ((filter[h >>> 5] & (1 << (h & 31))) === 0) continue;
    visit(i - K + 1, code);
  }
}

function seedCode(bases: Uint8Array, from: number): number {
  let code = 0;
  for (let i = from; i < from + K; i++) {
    const b = CODE[bases[i]];
    if (b > 3) return -1;
    code = ((code << 2) | b) >>> 0;
  }
  return code;
}

export interface ExactHit {
  allele: number;
  contig: number;
  /** 1-based, inclusive, on the forward strand of the query record. */
  start: number;
  end: number;
  reverse: boolean;
}

export interface PartialHit {
  allele: number;
  contig: number;
  reverse: boolean;
  alignment: LocalAlignment;
  /** Query coordinates on the forward strand (qstart < qend) and the allele's, reversed for a reverse hit as BLAST gives them. */
  qstart: number;
  qend: number;
  sstart: number;
  send: number;
  identity: number;
  bitscore: number;
  evalue: number;
  /** Where the whole allele would lie on the query, extrapolated from the aligned part, within the record. */
  predictedStart: number;
  predictedEnd: number;
}

/** Where a locus may lie in a record: a window of one strand and the diagonals its seeds fell on. */
interface Region {
  contig: number;
  reverse: boolean;
  strand: Uint8Array;
  qFrom: number;
  qTo: number;
  dLo: number;
  dHi: number;
  hits: number;
}

interface Candidate extends Region {
  allele: number;
  score: number;
}

/** Seeds of one locus's alleles for the best-match search: every 16-mer of every allele, with its offset in one of them. */
interface LocusSeeds {
  table: SeedTable;
  maxLength: number;
}

/**
 * The typing engine over one database's alleles: exact full-length matches by seed and digest, on both strands,
 * and best (partial) matches by banded alignment ranked as blastn ranks them.
 */
export class TypingEngine {
  private readonly locusOf: Int32Array;
  private readonly lengths: Int32Array;
  private readonly digests: Uint32Array;
  /** Digests of the alleles' reverse complements. */
  private readonly reverseDigests: Uint32Array;
  /**
   * Seed table value: an index into chainStart. A chain lists the alleles whose first 16 bases, read on either
   * strand, are the seed, shortest first: allele a as it is, or ~a for its reverse complement. One scan of the
   * query's forward strand then finds both orientations.
   */
  private readonly exactSeeds: SeedTable;
  private readonly chainStart: Int32Array;
  private readonly chainAlleles: Int32Array;
  /** Alleles of ACGT only shorter than a seed: found by plain search. */
  private readonly shortAlleles: number[] = [];
  private readonly locusSeeds = new Map<number, LocusSeeds>();
  private readonly buffers = new ScoreBuffers();

  constructor(readonly data: AlleleIndexData) {
    const count = data.alleleIds.length;
    this.locusOf = alleleLoci(data);
    this.lengths = new Int32Array(count);
    this.digests = new Uint32Array(count);
    this.reverseDigests = new Uint32Array(count);
    const chains = new Map<number, number[]>();
    const chain = (code: number, entry: number) => {
      const list = chains.get(code);
      if (list) list.push(entry);
      else chains.set(code, [entry]);
    };
    for (let a = 0; a < count; a++) {
      const from = data.starts[a];
      const to = data.starts[a + 1];
      this.lengths[a] = to - from;
      let clean = to > from;
      for (let i = from; i < to && clean; i++) clean = CODE[data.bases[i]] < 4;
      // BLAST scores ambiguity codes as mismatches: an allele holding one is never an exact match.
      if (!clean) continue;
      const reverse = reverseComplement(data.bases.subarray(from, to));
      this.digests[a] = fnv(data.bases, from, to);
      this.reverseDigests[a] = fnv(reverse, 0, reverse.length);
      if (to - from < K) {
        this.shortAlleles.push(a);
        continue;
      }
      chain(seedCode(data.bases, from), a);
      chain(seedCode(reverse, 0), ~a);
    }
    this.chainStart = new Int32Array(chains.size + 1);
    this.chainAlleles = new Int32Array([...chains.values()].reduce((n, c) => n + c.length, 0));
    const entries = new Map<number, number>();
    const length = (entry: number) => this.lengths[entry < 0 ? ~entry : entry];
    let at = 0;
    let c = 0;
    for (const [code, list] of chains) {
      // Shortest first (the window's digest grows with the length); forward before reverse for a palindrome.
      list.sort((x, y) => length(x) - length(y) || Number(x < 0) - Number(y < 0) || x - y);
      this.chainStart[c] = at;
      this.chainAlleles.set(list, at);
      at += list.length;
      entries.set(code, c++);
    }
    this.chainStart[c] = at;
    this.exactSeeds = new SeedTable(entries);
  }

  get alleleCount(): number {
    return this.data.alleleIds.length;
  }

  locusIndex(name: string): number {
    return this.data.loci.indexOf(name);
  }

  alleleLength(allele: number): number {
    return this.lengths[allele];
  }

  locusOfAllele(allele: number): number {
    return this.locusOf[allele];
  }

  /** Full-length occurrences of alleles on either strand of a record; start is 0-based on the forward strand. */
  private scanExact(
    bases: Uint8Array,
    wanted: Uint8Array | undefined,
    found: (allele: number, start: number, reverse: boolean) => void,
  ): void {
    const { chainStart, chainAlleles, lengths, digests, reverseDigests, exactSeeds, locusOf } = this;
    const alleleBases = this.data.bases;
    const starts = this.data.starts;
    const n = bases.length;
    scanSeeds(bases, exactSeeds.filter, (start, code) => {
      const chain = exactSeeds.get(code);
      if (chain < 0) return;
      let hash = FNV_OFFSET;
      let hashed = start;
      for (let k = chainStart[chain]; k < chainStart[chain + 1]; k++) {
        const entry = chainAlleles[k];
        const reverse = entry < 0;
        const allele = reverse ? ~entry : entry;
        const end = start + lengths[allele];
        if (end > n) break;
        while (hashed < end) hash = Math.imul(hash ^ bases[hashed++], FNV_PRIME);
        if (hash >>> 0 !== (reverse ? reverseDigests[allele] : digests[allele]) || (wanted && !wanted[locusOf[allele]]))
          continue;
        let same = true;
        if (reverse) {
          for (let i = starts[allele + 1] - 1, j = start; j < end; i--, j++) {
            if (COMPLEMENT[alleleBases[i]] !== bases[j]) {
              same = false;
              break;
            }
          }
        } else {
          for (let i = starts[allele], j = start; j < end; i++, j++) {
            if (alleleBases[i] !== bases[j]) {
              same = false;
              break;
            }
          }
        }
        if (same) found(allele, start, reverse);
      }
    });
    const haystack = Buffer.from(bases.buffer, bases.byteOffset, bases.length);
    for (const allele of this.shortAlleles) {
      if (wanted && !wanted[locusOf[allele]]) continue;
      const forward = alleleBases.subarray(starts[allele], starts[allele + 1]);
      for (const [needle, reverse] of [
        [forward, false],
        [reverseComplement(forward), true],
      ] as const) {
        for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1))
          found(allele, at, reverse);
      }
    }
  }

  /** Loci as a membership array for the scans (undefined: every locus). */
  lociMask(loci?: number[]): Uint8Array | undefined {
    if (!loci) return undefined;
    const mask = new Uint8Array(this.data.loci.length);
    for (const l of loci) mask[l] = 1;
    return mask;
  }

  /**
   * Every exact full-length occurrence of an allele of the wanted loci in the query, on both strands, one per
   * (allele, start) as BIGSdb de-duplicates them; in query order, then allele order.
   */
  exactMatches(contigs: QueryContig[], loci?: number[]): ExactHit[] {
    const wanted = this.lociMask(loci);
    const hits: ExactHit[] = [];
    contigs.forEach((contig, index) => {
      const seen = new Set<string>();
      const add = (allele: number, start: number, reverse: boolean) => {
        const key = `${allele}|${start}`;
        if (seen.has(key)) return;
        seen.add(key);
        hits.push({ allele, contig: index, start: start + 1, end: start + this.lengths[allele], reverse });
      };
      const first = hits.length;
      this.scanExact(contig.bases, wanted, add);
      hits.splice(
        first,
        hits.length - first,
        ...hits.slice(first).sort((x, y) => x.start - y.start || x.allele - y.allele),
      );
    });
    return hits;
  }

  private seedsOf(locus: number): LocusSeeds {
    const cached = this.locusSeeds.get(locus);
    if (cached) return cached;
    const entries = new Map<number, number>();
    let maxLength = 0;
    for (let a = this.data.locusStart[locus]; a < this.data.locusStart[locus + 1]; a++) {
      const from = this.data.starts[a];
      const to = this.data.starts[a + 1];
      maxLength = Math.max(maxLength, to - from);
      let code = 0;
      let valid = 0;
      for (let i = from; i < to; i++) {
        const b = CODE[this.data.bases[i]];
        if (b > 3) {
          valid = 0;
          continue;
        }
        code = ((code << 2) | b) >>> 0;
        if (++valid >= K && !entries.has(code)) entries.set(code, i - K + 1 - from);
      }
    }
    const seeds = { table: new SeedTable(entries), maxLength };
    this.locusSeeds.set(locus, seeds);
    return seeds;
  }

  /** Regions of a record, both strands, where a locus's seeds gather as they would round one of its alleles. */
  private regionsOf(contig: QueryContig, index: number, locus: number): Region[] {
    const seeds = this.seedsOf(locus);
    const n = contig.bases.length;
    const regions: Region[] = [];
    for (const reverse of [false, true]) {
      const strand = reverse ? reverseComplement(contig.bases) : contig.bases;
      const diagonals: number[] = [];
      scanSeeds(strand, seeds.table.filter, (start, code) => {
        const offset = seeds.table.get(code);
        if (offset >= 0) diagonals.push(start - offset);
      });
      diagonals.sort((x, y) => x - y);
      // Runs of nearby diagonals; a region needs as many seed hits as one word_size-long exact run gives
      // (stray 16-mer hits across a genome are many, and blastn would never extend them).
      const runs: Array<[number, number, number]> = [];
      for (const d of diagonals) {
        const run = runs[runs.length - 1];
        if (run && d - run[1] <= REGION_GAP) {
          run[1] = d;
          run[2]++;
        } else runs.push([d, d, 1]);
      }
      for (const [dFirst, dLast, hits] of runs) {
        if (hits < BLAST_WORD - K + 1) continue;
        const qFrom = Math.max(0, dFirst - BAND);
        const qTo = Math.min(n, dLast + seeds.maxLength + BAND);
        regions.push({
          contig: index,
          reverse,
          strand,
          qFrom,
          qTo,
          dLo: dFirst - BAND - qFrom,
          dHi: dLast + BAND - qFrom,
          hits,
        });
      }
    }
    return regions;
  }

  /**
   * Score-only alignments of a locus's alleles at each region. With `prune`, an allele is skipped when it cannot
   * beat the best score so far, by a bound from an allele already scored there: along any path, each base where
   * the two differ (compared position by position) is worth at most 6 (match minus mismatch), and each base the
   * other lacks at most 2 (a match). Regions richest in seeds go first, so the true locus sets a high bar and
   * repeats elsewhere in a genome cost about one alignment each.
   */
  private score(regions: Region[], locus: number, prune: boolean): Candidate[] {
    const found: Candidate[] = [];
    const { bases, starts } = this.data;
    const { match, mismatch } = MEGABLAST_SCORING;
    let bar = 0;
    for (const region of [...regions].sort((x, y) => y.hits - x.hits)) {
      // The lowest-scoring allele so far, and the latest few (neighbouring ids are often near-identical).
      let lowest: { allele: number; score: number } | undefined;
      const recent: Array<{ allele: number; score: number }> = [];
      for (let allele = this.data.locusStart[locus]; allele < this.data.locusStart[locus + 1]; allele++) {
        const length = this.lengths[allele];
        if (prune && bar > 0) {
          let bounded = false;
          for (const reference of lowest ? [lowest, ...recent] : recent) {
            const common = Math.min(length, this.lengths[reference.allele]);
            // Ranked by blastn's raw score (half ours, rounded down), so only a lower raw score can be left out.
            const slack = sameRawScoreFloor(bar) - reference.score - match * Math.max(0, length - common);
            let bound = 0;
            for (let i = 0, a = starts[reference.allele], b = starts[allele]; i < common && bound < slack; i++) {
              if (bases[a + i] !== bases[b + i]) bound += match - mismatch;
            }
            if (bound < slack) {
              bounded = true;
              break;
            }
          }
          if (bounded) continue;
        }
        const score = bandedLocalScore(
          bases,
          starts[allele],
          length,
          region.strand,
          region.qFrom,
          region.qTo,
          region.dLo,
          region.dHi,
          MEGABLAST_SCORING,
          this.buffers,
        );
        const scored = { allele, score };
        if (!lowest || score < lowest.score) lowest = scored;
        recent.push(scored);
        if (recent.length > 8) recent.shift();
        if (score > bar) bar = score;
        if (score > 0) found.push({ ...region, allele, score });
      }
    }
    return found;
  }

  /**
   * The first candidate, in blastn's order, that blastn would report: with a word-size exact run and E within
   * the cutoff. Pruned scoring keeps every allele that could be first; should the first fail those checks, the
   * runners-up are scored in full.
   */
  private firstReported(
    regions: Region[],
    locus: number,
    contigs: QueryContig[],
    database: { length: number; sequences: number },
  ): PartialHit | undefined {
    for (const prune of [true, false]) {
      const candidates = this.score(regions, locus, prune);
      candidates.sort(
        (x, y) => blastRawScore(y.score) - blastRawScore(x.score) || y.allele - x.allele || x.contig - y.contig,
      );
      for (const [rank, c] of candidates.entries()) {
        const n = contigs[c.contig].bases.length;
        const evalue = expectValue(c.score, n, database.length, database.sequences);
        if (evalue > EXPECT_CUTOFF) return undefined; // every later candidate scores no better
        const aligned = bandedLocalAlignment(
          this.data.bases,
          this.data.starts[c.allele],
          this.lengths[c.allele],
          c.strand,
          c.qFrom,
          c.qTo,
          c.dLo,
          c.dHi,
          MEGABLAST_SCORING,
          true,
        );
        if (aligned.longestRun >= BLAST_WORD)
          return this.partialHit(c.allele, c.contig, n, c.reverse, c.qFrom, aligned, evalue);
        if (prune && rank === 0) break;
      }
      if (!prune) break;
    }
    return undefined;
  }

  /**
   * A locus's best partial hit as BIGSdb picks it from blastn's output, for a BLAST database of the given size.
   * 'output': the first hit blastn prints (records in input order; in a record, higher score first and, between
   * equal scores, the allele later in the database, BLAST's tie rule), which the locus route reports as best_match.
   * 'score': the best-scoring hit over all records, which the scheme route reports under partial_matches.
   */
  bestPartialHit(
    contigs: QueryContig[],
    locus: number,
    database: { length: number; sequences: number },
    order: 'output' | 'score',
  ): PartialHit | undefined {
    if (order === 'score') {
      return this.firstReported(
        contigs.flatMap((contig, index) => this.regionsOf(contig, index, locus)),
        locus,
        contigs,
        database,
      );
    }
    for (let index = 0; index < contigs.length; index++) {
      const hit = this.firstReported(this.regionsOf(contigs[index], index, locus), locus, contigs, database);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Bases and allele count of a BLAST database made of the given loci, for expect values. */
  databaseSize(loci: number[]): { length: number; sequences: number } {
    let length = 0;
    let sequences = 0;
    for (const l of loci) {
      const first = this.data.locusStart[l];
      const last = this.data.locusStart[l + 1];
      sequences += last - first;
      length += this.data.starts[last] - this.data.starts[first];
    }
    return { length, sequences };
  }

  private partialHit(
    allele: number,
    contig: number,
    n: number,
    reverse: boolean,
    qFrom: number,
    a: LocalAlignment,
    evalue: number,
  ): PartialHit {
    const length = this.lengths[allele];
    // Window coordinates on the strand that was aligned, then onto the record's forward strand.
    const lo = qFrom + a.queryStart;
    const hi = qFrom + a.queryEnd;
    const qstart = reverse ? n - hi + 1 : lo;
    const qend = reverse ? n - lo + 1 : hi;
    const sstart = reverse ? a.subjectEnd : a.subjectStart;
    const send = reverse ? a.subjectStart : a.subjectEnd;
    const predictedStart = reverse ? qstart - (length - a.subjectEnd) : qstart - (a.subjectStart - 1);
    const predictedEnd = reverse ? qend + (a.subjectStart - 1) : qend + (length - a.subjectEnd);
    return {
      allele,
      contig,
      reverse,
      alignment: a,
      qstart,
      qend,
      sstart,
      send,
      identity: Math.round((100_000 * a.matches) / a.length) / 1000,
      bitscore: bitScore(a.score),
      evalue,
      predictedStart: Math.max(1, predictedStart),
      predictedEnd: Math.min(n, predictedEnd),
    };
  }
}
