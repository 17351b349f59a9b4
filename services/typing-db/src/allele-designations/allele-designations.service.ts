import type { PageRequest } from '@helixgate/contracts';
import { ServiceError, type ReplyOf, type TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { defined, Links } from '../common/links';
import { Lookup } from '../common/lookup';
import { pageResult, pageSlice, pageWindow } from '../common/paging';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import { LociRepository } from '../loci/loci.repository';
import type { Locus } from '../loci/loci.schema';
import { AlleleDesignationsRepository } from './allele-designations.repository';

/** An allele id as BIGSdb sends it: a number when the locus's ids are integers. */
function sentAlleleId(locus: Locus | undefined, alleleId: string): string | number {
  return locus?.alleleIdFormat === 'integer' && /^\d+$/.test(alleleId) ? Number(alleleId) : alleleId;
}

/** BIGSdb's allele designation routes of isolates databases (AlleleDesignations.pm, Isolates.pm). */
@Injectable()
export class AlleleDesignationsService {
  constructor(
    private readonly lookup: Lookup,
    private readonly designations: AlleleDesignationsRepository,
    private readonly loci: LociRepository,
  ) {}

  /** The loci an isolate has designations for, in locus order. */
  private async designatedLoci(db: TypingDatabase, isolateId: number): Promise<string[]> {
    return (await this.designations.designatedLoci(db._id, isolateId)).sort();
  }

  private async lociById(db: TypingDatabase, ids: string[]): Promise<Map<string, Locus>> {
    return new Map((await this.loci.findMany(definitionsOf(db), ids)).map((l) => [l.id, l]));
  }

  /** GET /db/{db}/isolates/{id}/allele_designations: paged links, one per designated locus. */
  async listDesignations(baseUri: string, name: string, isolateId: string, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const loci = await this.designatedLoci(db, isolate.id);
    const window = pageWindow(page);
    const links = new Links(baseUri, name);
    const { paging, headers } = pageResult(window, loci.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listDesignations>['body'] = {
      records: loci.length,
      allele_designations: pageSlice(loci, window).map((l) =>
        links.to(`isolates/${isolate.id}/allele_designations/${l}`),
      ),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/isolates/{id}/allele_designations/{locus}: every designation of the locus (an array). */
  async getDesignations(baseUri: string, name: string, isolateId: string, locusName: string) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const locus = await this.lookup.locus(db, locusName);
    const rows = await this.designations.ofLoci(db._id, isolate.id, [locus.id]);
    if (!rows.length)
      throw ServiceError.notFound(`Isolate ${isolate.id} has no designations defined for locus ${locus.id}.`);
    const links = new Links(baseUri, name);
    return rows.map((d) =>
      defined({
        locus: links.to(`loci/${locus.id}`),
        allele_id: sentAlleleId(locus, d.alleleId),
        status: d.status,
        method: d.method,
        comments: d.comments || undefined,
        sender: links.user(d.sender),
        curator: links.user(d.curator),
        datestamp: d.datestamp,
      }),
    );
  }

  /** {locus: id} or {locus: [ids]} per locus, as BIGSdb's allele_ids routes give them. */
  private async alleleIdObjects(db: TypingDatabase, isolateId: number, loci: string[]) {
    const rows = await this.designations.ofLoci(db._id, isolateId, loci);
    const byLocus = await this.lociById(db, loci);
    return loci
      .map((locus) => {
        const ids = rows.filter((r) => r.locus === locus).map((r) => sentAlleleId(byLocus.get(locus), r.alleleId));
        return ids.length ? { [locus]: ids.length === 1 ? ids[0] : ids } : undefined;
      })
      .filter((o): o is Record<string, string | number | Array<string | number>> => o !== undefined);
  }

  /** GET /db/{db}/isolates/{id}/allele_ids: paged by locus. */
  async listAlleleIds(baseUri: string, name: string, isolateId: string, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const loci = await this.designatedLoci(db, isolate.id);
    const window = pageWindow(page);
    const { paging, headers } = pageResult(window, loci.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listAlleleIds>['body'] = {
      records: loci.length,
      allele_ids: await this.alleleIdObjects(db, isolate.id, pageSlice(loci, window)),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/isolates/{id}/schemes/{scheme}/allele_ids: the scheme's designated loci, in scheme order. */
  async getSchemeAlleleIds(name: string, isolateId: string, schemeId: string) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const scheme = await this.lookup.scheme(db, schemeId);
    const ids = await this.alleleIdObjects(db, isolate.id, scheme.loci);
    return { records: ids.length, allele_ids: ids };
  }

  /** GET /db/{db}/isolates/{id}/schemes/{scheme}/allele_designations: [{locus: [designations]}], in scheme order. */
  async getSchemeDesignations(baseUri: string, name: string, isolateId: string, schemeId: string) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const scheme = await this.lookup.scheme(db, schemeId);
    const rows = await this.designations.ofLoci(db._id, isolate.id, scheme.loci);
    const byLocus = await this.lociById(db, scheme.loci);
    const links = new Links(baseUri, name);
    const designations = scheme.loci
      .filter((locus) => rows.some((r) => r.locus === locus))
      .map((locus) => ({
        [locus]: rows
          .filter((r) => r.locus === locus)
          .map((d) =>
            defined({
              locus: links.to(`loci/${locus}`),
              allele_id: sentAlleleId(byLocus.get(locus), d.alleleId),
              sender: links.user(d.sender),
              status: d.status,
              method: d.method,
              curator: links.user(d.curator),
              date_entered: d.dateEntered,
              datestamp: d.datestamp,
            }),
          ),
      }));
    return { records: designations.length, allele_designations: designations };
  }
}
