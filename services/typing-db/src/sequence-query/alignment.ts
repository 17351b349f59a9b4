/**
 * Banded local alignment with affine gaps (Gotoh), scored as blastn scores a BIGSdb query: BIGSdb runs
 * `blastn -word_size 20 -dust no`, whose default task is megablast (reward 1, penalty -2, gap costs 0/0, which
 * BLAST turns into a linear 2.5 per gap base). Scores here are doubled to stay integers: match 2, mismatch -4,
 * gap open 0, gap extend 5.
 */
export interface Scoring {
  match: number;
  mismatch: number;
  gapOpen: number;
  gapExtend: number;
}

export const MEGABLAST_SCORING: Scoring = { match: 2, mismatch: -4, gapOpen: 0, gapExtend: 5 };
/** Karlin-Altschul values BLAST uses for reward 1 / penalty -2 with linear gaps (blast_stat.c, blastn_values_1_2). */
const LAMBDA = 1.28;
const K = 0.46;
const ALPHA = 1.5;
const BETA = -2;
/** Scores here are doubled. */
const SCORE_SCALE = 2;

export interface LocalAlignment {
  score: number;
  /** 1-based, inclusive, on the subject (allele) and on the query window. */
  subjectStart: number;
  subjectEnd: number;
  queryStart: number;
  queryEnd: number;
  length: number;
  matches: number;
  mismatches: number;
  gapOpens: number;
  /** The longest run of identical bases: blastn only finds alignments holding a word_size-long one. */
  longestRun: number;
}

const NEG = -(2 ** 30);

/**
 * Best local alignment of subject[0..m) against query[qFrom..qTo) restricted to diagonals j - i in [dLo, dHi]
 * (j, i 0-based within query window and subject). With `trace`, the path is followed back for the statistics;
 * without, only the score and end are returned. Ties keep the first (shortest) alignment, as BLAST's extension
 * keeps the first maximum it meets.
 */
export function bandedLocalAlignment(
  subject: Uint8Array,
  sFrom: number,
  m: number,
  query: Uint8Array,
  qFrom: number,
  qTo: number,
  dLo: number,
  dHi: number,
  scoring: Scoring,
  trace: boolean,
): LocalAlignment {
  const n = qTo - qFrom;
  const width = dHi - dLo + 1;
  const { match, mismatch, gapOpen, gapExtend } = scoring;
  // Two row buffers indexed by query column (H[i][j] at [j + 1]) and one column buffer for F. The band moves one
  // column right per row, so the only stale cell a row reads is the one just left of its band, cleared below;
  // cells right of it were never written and read as 0 (H) or -infinity (F), as cells outside a band must.
  let hPrev = new Int32Array(n + 1);
  let hCur = new Int32Array(n + 1);
  const fCol = new Int32Array(n + 1).fill(NEG);
  const directions = trace ? new Uint8Array(m * width) : undefined;
  let best = 0;
  let bestI = -1;
  let bestJ = -1;
  for (let i = 0; i < m; i++) {
    const s = subject[sFrom + i];
    const jLo = Math.max(0, i + dLo);
    const jHi = Math.min(n - 1, i + dHi);
    if (jLo > jHi) {
      if (jLo > n - 1) break;
      continue;
    }
    hCur[jLo] = 0;
    let e = NEG;
    for (let j = jLo; j <= jHi; j++) {
      const diag = hPrev[j] + (query[qFrom + j] === s && s !== 0x4e ? match : mismatch);
      const eOpen = hCur[j] - gapOpen - gapExtend;
      const eExt = e - gapExtend;
      e = eOpen >= eExt ? eOpen : eExt;
      const fOpen = hPrev[j + 1] - gapOpen - gapExtend;
      const fExt = fCol[j + 1] - gapExtend;
      const f = fOpen >= fExt ? fOpen : fExt;
      fCol[j + 1] = f;
      let h = 0;
      let dir = 0;
      // A path worth exactly nothing so far is kept rather than restarted: blastn's alignments reach back
      // through a zero-sum start (a mismatch two bases in) but stop at the first best end.
      if (diag >= h) {
        h = diag;
        dir = 1;
      }
      if (e > h) {
        h = e;
        dir = 2;
      }
      if (f > h) {
        h = f;
        dir = 3;
      }
      hCur[j + 1] = h;
      if (directions)
        directions[i * width + (j - i - dLo)] = dir | (eExt >= eOpen ? 4 : 0) | (fExt >= fOpen ? 4 << 1 : 0); // ties extend: one gap, not several
      if (h > best) {
        best = h;
        bestI = i;
        bestJ = j;
      }
    }
    const swap = hPrev;
    hPrev = hCur;
    hCur = swap;
  }
  const result: LocalAlignment = {
    score: best,
    subjectStart: 0,
    subjectEnd: bestI + 1,
    queryStart: 0,
    queryEnd: bestJ + 1,
    length: 0,
    matches: 0,
    mismatches: 0,
    gapOpens: 0,
    longestRun: 0,
  };
  if (!directions || best === 0) return result;
  let i = bestI;
  let j = bestJ;
  let state = 0; // 0: in H, 2: in E, 3: in F
  let run = 0;
  let firstI = i;
  let firstJ = j;
  while (i >= 0 && j >= 0) {
    const d = directions[i * width + (j - i - dLo)];
    if (state === 0) {
      const from = d & 3;
      if (from === 0) break;
      if (from === 1) {
        firstI = i;
        firstJ = j;
        if (query[qFrom + j] === subject[sFrom + i] && subject[sFrom + i] !== 0x4e) {
          result.matches++;
          run++;
          if (run > result.longestRun) result.longestRun = run;
        } else {
          result.mismatches++;
          run = 0;
        }
        result.length++;
        i--;
        j--;
        continue;
      }
      state = from;
      result.gapOpens++;
    }
    run = 0;
    result.length++;
    if (state === 2) {
      const extended = (d & 4) !== 0;
      j--;
      if (!extended) state = 0;
    } else {
      const extended = (d & 8) !== 0;
      i--;
      if (!extended) state = 0;
    }
  }
  result.subjectStart = firstI + 1;
  result.queryStart = firstJ + 1;
  return result;
}

/**
 * The score of bandedLocalAlignment without its path: the same recurrences in a tight loop (most alignments
 * are scored only to rank alleles; only the winner is traced).
 */
export function bandedLocalScore(
  subject: Uint8Array,
  sFrom: number,
  m: number,
  query: Uint8Array,
  qFrom: number,
  qTo: number,
  dLo: number,
  dHi: number,
  scoring: Scoring,
  buffers: ScoreBuffers,
): number {
  const n = qTo - qFrom;
  const { match, mismatch } = scoring;
  const open = scoring.gapOpen + scoring.gapExtend;
  const extend = scoring.gapExtend;
  const { h0, h1, f } = buffers.ensure(n + 1);
  let hPrev = h0;
  let hCur = h1;
  hPrev.fill(0, 0, n + 1);
  f.fill(NEG, 0, n + 1);
  let best = 0;
  for (let i = 0; i < m; i++) {
    const s = subject[sFrom + i];
    const jLo = i + dLo > 0 ? i + dLo : 0;
    const jHi = i + dHi < n - 1 ? i + dHi : n - 1;
    if (jLo > jHi) {
      if (jLo > n - 1) break;
      continue;
    }
    hCur[jLo] = 0;
    let e = NEG;
    let left = 0;
    for (let j = jLo; j <= jHi; j++) {
      let h = hPrev[j] + (query[qFrom + j] === s && s !== 0x4e ? match : mismatch);
      const eOpen = left - open;
      e = eOpen >= e - extend ? eOpen : e - extend;
      const up = hPrev[j + 1];
      const fOpen = up - open;
      const fExt = f[j + 1] - extend;
      const fv = fOpen >= fExt ? fOpen : fExt;
      f[j + 1] = fv;
      if (e > h) h = e;
      if (fv > h) h = fv;
      if (h < 0) h = 0;
      hCur[j + 1] = h;
      left = h;
      if (h > best) best = h;
    }
    const swap = hPrev;
    hPrev = hCur;
    hCur = swap;
  }
  return best;
}

/** Row buffers reused across scorings. */
export class ScoreBuffers {
  private size = 0;
  private arrays = { h0: new Int32Array(0), h1: new Int32Array(0), f: new Int32Array(0) };
  ensure(size: number) {
    if (size > this.size) {
      this.size = size;
      this.arrays = { h0: new Int32Array(size), h1: new Int32Array(size), f: new Int32Array(size) };
    }
    return this.arrays;
  }
}

/** The raw score blastn reports for a (doubled) score here: halved and rounded down, as BLAST unscales it. */
export function blastRawScore(score: number): number {
  return Math.floor(score / SCORE_SCALE);
}

/** The lowest doubled score that reports the same raw score as this one. */
export function sameRawScoreFloor(score: number): number {
  return blastRawScore(score) * SCORE_SCALE;
}

/** BLAST's bit score of a (doubled) raw score. */
export function bitScore(score: number): number {
  return (LAMBDA * blastRawScore(score) - Math.log(K)) / Math.LN2;
}

/**
 * BLAST's expect value of a (doubled) raw score for one query of length queryLength against a database of
 * dbSequences sequences of dbLength bases, with BLAST's length adjustment of the search space.
 */
export function expectValue(score: number, queryLength: number, dbLength: number, dbSequences: number): number {
  let ell = 0;
  for (let iteration = 0; iteration < 20; iteration++) {
    const space = Math.max(1, (queryLength - ell) * Math.max(1, dbLength - dbSequences * ell));
    const next = Math.max(0, (ALPHA / LAMBDA) * (Math.log(K) + Math.log(space)) + BETA);
    if (Math.abs(next - ell) < 0.5) {
      ell = next;
      break;
    }
    ell = next;
  }
  ell = Math.min(Math.floor(ell), queryLength - 1);
  const space = Math.max(1, (queryLength - ell) * Math.max(1, dbLength - dbSequences * ell));
  return K * space * Math.exp(-LAMBDA * blastRawScore(score));
}
