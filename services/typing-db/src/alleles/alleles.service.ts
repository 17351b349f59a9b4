import { type PageRequest, ServiceError, type ReplyOf, type TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { linesInPieces, streamDownload } from '../common/downloads';
import { Catalog } from '../common/catalog';
import { dateFilter, RECORD_DATE_FILTERS } from '../common/filters';
import { Lookup } from '../common/lookup';
import { pageResult, pageWindow } from '../common/paging';
import { RecordSet } from '../common/record-set';
import { VersionedCache } from '../common/versioned-cache';
import { definitionsOf } from '../databases/databases.schema';
import type { Locus } from '../loci/loci.schema';
import { AllelesRepository } from './alleles.repository';
import { type Allele, EXCLUDED_ALLELE_IDS } from './alleles.schema';

type AlleleRecord = Pick<Allele, 'alleleId' | 'order' | 'sequence' | 'status' | 'dateEntered' | 'datestamp'>;

/** BIGSdb's allele and sequence routes of seqdef databases (Loci.pm, Sequences.pm). */
@Injectable()
export class AllelesService {
  private readonly sets = new VersionedCache<RecordSet<AlleleRecord>>();

  constructor(
    private readonly lookup: Lookup,
    private readonly catalog: Catalog,
    private readonly alleles: AllelesRepository,
  ) {}

  /** A locus's alleles, held in memory per version of the locus (0, N and P are records but not listed). */
  private alleleSet(database: string, locus: Locus): Promise<RecordSet<AlleleRecord>> {
    return this.sets.get(
      `${database}|${locus.id}`,
      locus.version,
      async () =>
        new RecordSet<AlleleRecord>(
          await this.alleles.ofLocus(database, locus.id),
          (a) => a.alleleId,
          (a) => a.order,
          (a) => !EXCLUDED_ALLELE_IDS.includes(a.alleleId),
        ),
    );
  }

  /** GET /db/{db}/loci/{locus}/alleles: paged, integer ids in numeric order, 0/N/P left out. */
  async listAlleles(baseUri: string, name: string, locusName: string, page: PageRequest) {
    const db = await this.lookup.seqdef(name);
    const locus = await this.lookup.locus(db, locusName);
    const dates = dateFilter(page.query, RECORD_DATE_FILTERS);
    const window = pageWindow(page);
    const { total, ids, lastUpdated } = (await this.alleleSet(name, locus)).page(dates, window);
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const root = `${baseUri}/db/${name}/loci/${locus.id}/alleles`;
    const body: ReplyOf<typeof TypingSubjects.listAlleles>['body'] = {
      records: total,
      alleles: ids.map((id) => `${root}/${id}`),
    };
    if (lastUpdated) body.last_updated = lastUpdated;
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/loci/{locus}/alleles/{id}. */
  async getAllele(baseUri: string, name: string, locusName: string, alleleId: string) {
    const db = await this.lookup.seqdef(name);
    const asked = Date.now();
    let locus = await this.lookup.locus(db, locusName);
    let allele = (await this.alleleSet(name, locus)).get(alleleId);
    if (!allele) {
      // Added a moment ago by another process? Then a fresh catalog has a new version of the locus.
      const id = locus.id;
      const fresh = await this.catalog.newerVersion(asked, definitionsOf(db), locus, (d) => d.loci.get(id));
      if (fresh) allele = (await this.alleleSet(name, (locus = fresh))).get(alleleId);
    }
    if (!allele) throw ServiceError.notFound(`Allele ${locus.id}-${alleleId} does not exist.`);
    return {
      locus: `${baseUri}/db/${name}/loci/${locus.id}`,
      allele_id: allele.alleleId,
      sequence: allele.sequence,
      status: allele.status,
      type_allele: false,
      date_entered: allele.dateEntered,
      datestamp: allele.datestamp,
    };
  }

  /**
   * GET /db/{db}/loci/{locus}/alleles_fasta: `>{locus}_{id}` and the unwrapped sequence, in id order, streamed from
   * the locus's alleles held in memory.
   */
  async allelesFasta(name: string, locusName: string) {
    const db = await this.lookup.seqdef(name);
    const locus = await this.lookup.locus(db, locusName);
    const alleles = (await this.alleleSet(name, locus)).records();
    if (!alleles.length) throw ServiceError.notFound(`No alleles for locus ${locus.id} are defined.`);
    function* fasta() {
      for (const allele of alleles) yield `>${locus.id}_${allele.alleleId}\n${allele.sequence}\n`;
    }
    return streamDownload(linesInPieces(fasta()));
  }

  /** GET /db/{db}/sequences: how many alleles are defined, and when last changed. */
  async getSequences(baseUri: string, name: string) {
    await this.lookup.seqdef(name);
    const { records, lastUpdated } = await this.alleles.summary(name);
    const body: ReplyOf<typeof TypingSubjects.getSequences> = { loci: `${baseUri}/db/${name}/loci`, records };
    if (lastUpdated) body.last_updated = lastUpdated;
    return body;
  }
}
