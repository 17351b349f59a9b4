import {
  type DesignationsQueryResult,
  type ExactMatch,
  type LociQueryResult,
  type LocusQueryResult,
  type RawJsonBody,
  SEQUENCE_QUERY_MAX_BYTES,
  type SequenceQueryResult,
  type SequenceQueryTarget,
  ServiceError,
} from '@helixgate/contracts';
import type { TransferStore } from '@helixgate/platform';
import { defined, Links, Lookup } from '../lookup';
import type { Locus, Scheme, TypingModels } from '../models';
import type { SchemeValues } from '../scheme-values';
import type { AlleleIndexes } from './allele-indexes';
import type { QueryPool } from './query-pool';
import type { ReportedExactHit, ReportedPartialHit } from './query-job';

interface Request {
  baseUri: string;
  database: string;
}

/** Blast's bit score as its tabular output prints it: one decimal below 100, whole above. */
function printedBitScore(bits: number): number {
  return bits > 99.9 ? Math.round(bits) : Math.round(bits * 10) / 10;
}

const orientation = (reverse: boolean): 'forward' | 'reverse' => (reverse ? 'reverse' : 'forward');

/**
 * BIGSdb's sequence query routes (Loci.pm, Sequences.pm, Schemes.pm; research section 3): which loci a query is
 * typed against, and the shape of each answer. The typing itself runs in the worker pool.
 */
export class SequenceQueryService {
  private readonly lookup: Lookup;

  constructor(
    private readonly models: TypingModels,
    private readonly transfers: TransferStore,
    private readonly indexes: AlleleIndexes,
    private readonly pool: QueryPool,
    private readonly schemeValues: SchemeValues,
  ) {
    this.lookup = new Lookup(models);
  }

  private async bodyBytes(body: RawJsonBody): Promise<Uint8Array> {
    if ('text' in body) return new Uint8Array(Buffer.from(body.text, 'utf8'));
    const bytes = await this.transfers.read(body.ref, SEQUENCE_QUERY_MAX_BYTES);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
  }

  /** POST loci/{locus}/sequence, sequence, schemes/{id}/sequence. A parked body is removed whatever the outcome. */
  async query(request: Request & { target: SequenceQueryTarget; body: RawJsonBody }): Promise<SequenceQueryResult> {
    try {
      return await this.typeQuery(request);
    } finally {
      if ('ref' in request.body) await this.transfers.remove(request.body.ref);
    }
  }

  private async typeQuery({
    baseUri,
    database,
    target,
    body,
  }: Request & { target: SequenceQueryTarget; body: RawJsonBody }): Promise<SequenceQueryResult> {
    const db = await this.lookup.seqdef(database);
    const links = new Links(baseUri, database);
    let locus: Locus | undefined;
    let scheme: Scheme | undefined;
    if (target.kind === 'locus') locus = await this.lookup.locus(db, target.locus);
    if (target.kind === 'scheme') scheme = await this.lookup.scheme(db, target.schemeId);
    const [bytes, index] = await Promise.all([this.bodyBytes(body), this.indexes.current(db._id)]);
    const wanted = locus ? [locus.id] : scheme?.loci;
    const loci = wanted ? wanted.map((name) => index.loci.indexOf(name)).filter((i) => i >= 0) : null;
    const outcome = await this.pool.run(index, { body: bytes, loci, mode: target.kind });
    const exactMatch = (hit: ReportedExactHit, withHref: boolean) =>
      defined({
        allele_id: hit.alleleId,
        href: withHref
          ? links.to(`loci/${encodeURIComponent(hit.locus)}/alleles/${encodeURIComponent(hit.alleleId)}`)
          : undefined,
        ...(outcome.details
          ? {
              start: hit.start,
              end: hit.end,
              length: hit.length,
              orientation: orientation(hit.reverse),
              contig: outcome.raw ? undefined : hit.contig,
            }
          : {}),
      });
    // Loci in the scheme's order (or the database's), each locus's matches in query order.
    const byLocus = () => {
      const grouped: Record<string, ExactMatch[]> = {};
      for (const name of wanted ?? index.loci) {
        const hits = outcome.exact.filter((hit) => hit.locus === name);
        if (hits.length) grouped[name] = hits.map((hit) => exactMatch(hit, !outcome.details));
      }
      return grouped;
    };
    if (target.kind === 'locus') {
      const answer: LocusQueryResult = { exact_matches: outcome.exact.map((hit) => exactMatch(hit, true)) };
      if (outcome.best) answer.best_match = this.bestMatch(outcome.best, outcome.raw);
      return answer;
    }
    if (target.kind === 'all') return { exact_matches: byLocus() };
    const answer: LociQueryResult = {};
    const exact = byLocus();
    if (Object.keys(exact).length) answer.exact_matches = exact;
    const fields = await this.fields(
      db._id,
      scheme as Scheme,
      (scheme as Scheme).loci.map((l) => [
        ...new Set(outcome.exact.filter((h) => h.locus === l).map((h) => h.alleleId)),
      ]),
    );
    if (Object.keys(fields).length) answer.fields = fields;
    if (outcome.partial?.length)
      answer.partial_matches = Object.fromEntries(outcome.partial.map((hit) => [hit.locus, this.partialMatch(hit)]));
    return answer;
  }

  /** The locus route's best_match: predicted allele ends, blastn's statistics, and no href (as BIGSdb). */
  private bestMatch(hit: ReportedPartialHit, raw: boolean) {
    return defined({
      allele_id: hit.alleleId,
      start: hit.predictedStart,
      end: hit.predictedEnd,
      length: hit.alleleLength,
      alignment: hit.alignment.length,
      mismatches: hit.alignment.mismatches,
      gaps: hit.alignment.gapOpens,
      identity: hit.identity,
      orientation: orientation(hit.reverse),
      contig: raw ? undefined : hit.contig,
    });
  }

  /** The scheme route's partial_matches entry: BIGSdb's internal best-bitscore hit, keys as it names them. */
  private partialMatch(hit: ReportedPartialHit) {
    return defined({
      allele: hit.alleleId,
      identity: hit.identity,
      length: hit.alleleLength,
      mismatches: hit.alignment.mismatches,
      gaps: hit.alignment.gapOpens,
      qstart: hit.qstart,
      qend: hit.qend,
      sstart: hit.sstart,
      send: hit.send,
      bitscore: printedBitScore(hit.bitscore),
      alignment: hit.alignment.length,
      start: hit.qstart,
      end: hit.qend,
      predicted_start: hit.predictedStart,
      predicted_end: hit.predictedEnd,
      query: hit.contig,
      locus: hit.locus,
      sequence: hit.sequence,
      flanking_sequence: hit.flankingSequence,
      reverse: hit.reverse ? (1 as const) : undefined,
    });
  }

  /**
   * The scheme fields of the profiles the alleles found give (a locus without one matches nothing, as BIGSdb's
   * -999): strings, several values sorted and comma-joined.
   */
  private async fields(definitions: string, scheme: Scheme, choices: string[][]): Promise<Record<string, string>> {
    const profiles = await this.schemeValues.profilesMatching(definitions, scheme, choices);
    const fields: Record<string, string> = {};
    for (const field of scheme.fields) {
      const values = [
        ...new Set(
          profiles
            .map((p) => p.fields[field.name])
            .filter((v) => v !== undefined && v !== '')
            .map(String),
        ),
      ];
      values.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (values.length) fields[field.name] = values.join(',');
    }
    return fields;
  }

  /** POST schemes/{id}/designations: the fields of the profile the designations give. */
  async designations({
    database,
    schemeId,
    body,
  }: Request & { schemeId: string; body: Record<string, unknown> }): Promise<DesignationsQueryResult> {
    const db = await this.lookup.seqdef(database);
    const scheme = await this.lookup.scheme(db, schemeId);
    const designations = body.designations;
    if (designations === undefined || designations === null || designations === '')
      throw ServiceError.badRequest('Required field missing: designations.');
    if (typeof designations !== 'object' || Array.isArray(designations)) {
      throw ServiceError.badRequest(
        'designations must be an object of locus names, each with a list of {"allele": id} objects.',
      );
    }
    const given = new Map<string, string[]>();
    for (const [locus, list] of Object.entries(designations as Record<string, unknown>)) {
      const alleles = Array.isArray(list)
        ? list.map((d) => (d && typeof d === 'object' ? (d as Record<string, unknown>).allele : undefined))
        : [];
      if (
        !Array.isArray(list) ||
        alleles.some((a) => (typeof a !== 'string' && typeof a !== 'number') || String(a).length > 100)
      ) {
        throw ServiceError.badRequest(`Designations of locus ${locus} must be a list of {"allele": id} objects.`);
      }
      given.set(locus, [...new Set(alleles.map(String))]);
    }
    // Which loci and alleles exist, from the allele index (FerretDB scans a collection for `$in`).
    const definitions = Lookup.definitions(db);
    const index = await this.indexes.current(definitions);
    const unknown = [...given.keys()].find((l) => !index.loci.includes(l));
    if (unknown !== undefined) throw ServiceError.badRequest(`Locus ${unknown} does not exist.`);
    const exact: Record<string, Array<{ allele_id: string }>> = {};
    for (const locus of scheme.loci.filter((l) => given.has(l))) {
      const l = index.loci.indexOf(locus);
      const ids = new Set(index.alleleIds.slice(index.locusStart[l], index.locusStart[l + 1]));
      const found = (given.get(locus) as string[]).filter((a) => ids.has(a));
      if (found.length) exact[locus] = found.map((allele_id) => ({ allele_id }));
    }
    const answer: DesignationsQueryResult = {};
    if (Object.keys(exact).length) answer.exact_matches = exact;
    const fields = await this.fields(
      definitions,
      scheme,
      scheme.loci.map((l) => exact[l]?.map((a) => a.allele_id) ?? []),
    );
    if (Object.keys(fields).length) answer.fields = fields;
    return answer;
  }
}
