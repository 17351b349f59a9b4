import { BIGSDB_MALFORMED_REQUEST, parseJson, renameInvalidJson, ServiceError } from '@helixgate/contracts';
import { truthy } from '../common/paging';
import { readQuerySequence } from './query-input';
import { reverseComplement, type ExactHit, type PartialHit, type TypingEngine } from './typing-engine';

/** BIGSdb's MAX_QUERY_SEQ: the scheme route refuses more records than this (413). */
export const MAX_SCHEME_QUERY_RECORDS = 5000;
/** Bases either side of a partial match BIGSdb returns as flanking_sequence. */
const FLANKING = 100;

/** One sequence query, as the service hands it to a worker thread. */
export interface QueryJob {
  /** The client's JSON body, unparsed. */
  body: Uint8Array;
  /** Locus indices of the engine's database to type (null: every locus). */
  loci: number[] | null;
  /** 'locus': a best match when there is no exact one; 'scheme': partial matches on request; 'all': exact only. */
  mode: 'locus' | 'scheme' | 'all';
}

/** A best (partial) hit in the terms BIGSdb reports it, with the allele named. */
export interface ReportedPartialHit extends Omit<PartialHit, 'allele' | 'contig'> {
  locus: string;
  alleleId: string;
  alleleLength: number;
  contig: string;
  /** The query's bases over the predicted allele, and with FLANKING bases either side (allele orientation). */
  sequence?: string;
  flankingSequence?: string;
}

export interface ReportedExactHit extends Omit<ExactHit, 'allele' | 'contig'> {
  locus: string;
  alleleId: string;
  length: number;
  contig: string;
}

export interface QueryOutcome {
  details: boolean;
  partialMatches: boolean;
  /** Raw input (no FASTA header): BIGSdb leaves `contig` out of details then. */
  raw: boolean;
  exact: ReportedExactHit[];
  best?: ReportedPartialHit;
  partial?: ReportedPartialHit[];
}

/** The body's JSON object (read safely: depth, NULs, prototype keys), or BIGSdb's 400 for anything else. */
function jsonObject(body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseJson(body);
  } catch (error) {
    return renameInvalidJson(BIGSDB_MALFORMED_REQUEST)(error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw ServiceError.badRequest(BIGSDB_MALFORMED_REQUEST);
  return value as Record<string, unknown>;
}

/** A JSON flag as BIGSdb's Perl reads it: true, 1 and "1" (any non-empty string but "0") are on. */
function flag(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return truthy(value);
  return false;
}

function strandText(bases: Uint8Array, from: number, to: number, reverse: boolean): string {
  const slice = bases.subarray(Math.max(0, from), Math.min(bases.length, to));
  return Buffer.from(reverse ? reverseComplement(slice) : slice).toString('latin1');
}

/** Runs one query on an engine: parse and check the body, find exact matches, and best matches where asked. */
export function runQueryJob(engine: TypingEngine, job: QueryJob): QueryOutcome {
  const body = jsonObject(job.body);
  const query = readQuerySequence(
    body.sequence,
    flag(body.base64),
    job.mode === 'scheme' ? MAX_SCHEME_QUERY_RECORDS : undefined,
  );
  if (!query.dna) {
    throw ServiceError.badRequest(
      'The sequence looks like a peptide sequence (less than 80% A, C, G, T, U or N); the loci here are DNA.',
    );
  }
  const { data } = engine;
  const loci = job.loci ?? data.loci.map((_, i) => i);
  const exact = engine.exactMatches(query.contigs, loci).map(({ allele, contig, ...rest }): ReportedExactHit => ({
    ...rest,
    locus: data.loci[engine.locusOfAllele(allele)],
    alleleId: data.alleleIds[allele],
    length: engine.alleleLength(allele),
    contig: query.contigs[contig].id,
  }));
  const report = (hit: PartialHit, withSequence: boolean): ReportedPartialHit => {
    const { allele, contig, ...rest } = hit;
    const bases = query.contigs[contig].bases;
    return {
      ...rest,
      locus: data.loci[engine.locusOfAllele(allele)],
      alleleId: data.alleleIds[allele],
      alleleLength: engine.alleleLength(allele),
      contig: query.contigs[contig].id,
      ...(withSequence
        ? {
            sequence: strandText(bases, hit.predictedStart - 1, hit.predictedEnd, hit.reverse),
            flankingSequence: strandText(
              bases,
              hit.predictedStart - 1 - FLANKING,
              hit.predictedEnd + FLANKING,
              hit.reverse,
            ),
          }
        : {}),
    };
  };
  const outcome: QueryOutcome = {
    details: flag(body.details),
    partialMatches: flag(body.partial_matches),
    raw: query.raw,
    exact,
  };
  if (job.mode === 'locus' && exact.length === 0) {
    const hit = engine.bestPartialHit(query.contigs, loci[0], engine.databaseSize(loci), 'output');
    if (hit) outcome.best = report(hit, false);
  }
  if (job.mode === 'scheme' && outcome.partialMatches) {
    const matched = new Set(exact.map((h) => h.locus));
    const database = engine.databaseSize(loci);
    outcome.partial = loci
      .filter((l) => !matched.has(data.loci[l]))
      .map((l) => engine.bestPartialHit(query.contigs, l, database, 'score'))
      .filter((hit): hit is PartialHit => hit !== undefined)
      .map((hit) => report(hit, true));
  }
  return outcome;
}
