import { type PageRequest, ServiceError, type ReplyOf, type TypingSubjects } from '@helixgate/contracts';
import { TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { parkDownload } from '../common/downloads';
import { dateFilter, RECORD_DATE_FILTERS } from '../common/filters';
import { Lookup } from '../common/lookup';
import { pageResult, pageSlice, pageWindow } from '../common/paging';
import { type OrderedRecords, orderedRecords, VersionedCache } from '../common/versioned-cache';
import type { Locus } from '../loci/loci.schema';
import { AllelesRepository } from './alleles.repository';
import { alleleKey } from './alleles.schema';

/** BIGSdb's allele and sequence routes of seqdef databases (Loci.pm, Sequences.pm). */
@Injectable()
export class AllelesService {
  private readonly ordered = new VersionedCache<OrderedRecords>();

  constructor(
    private readonly lookup: Lookup,
    private readonly alleles: AllelesRepository,
    private readonly transfers: TransferStore,
  ) {}

  /** A locus's alleles in order (0, N and P left out), from the in-memory index. */
  private orderedAlleles(database: string, locus: Locus): Promise<OrderedRecords> {
    return this.ordered.get(`alleles|${database}|${locus.id}`, locus.version, async () =>
      orderedRecords(
        (await this.alleles.listedInOrder(database, locus.id)).map((a) => ({
          id: a.alleleId,
          dateEntered: a.dateEntered,
          datestamp: a.datestamp,
        })),
      ),
    );
  }

  /** GET /db/{db}/loci/{locus}/alleles: paged, integer ids in numeric order, 0/N/P left out. */
  async listAlleles(baseUri: string, name: string, locusName: string, page: PageRequest) {
    const db = await this.lookup.seqdef(name);
    const locus = await this.lookup.locus(db, locusName);
    const dates = dateFilter(page.query, RECORD_DATE_FILTERS);
    const window = pageWindow(page);
    const { total, ids, lastUpdated } = Object.keys(dates).length
      ? await this.alleles.datedPage(name, locus.id, dates, window)
      : await this.orderedAlleles(name, locus).then((all) => ({
          total: all.ids.length,
          ids: pageSlice(all.ids, window),
          lastUpdated: all.lastUpdated,
        }));
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
    const locus = await this.lookup.locus(db, locusName);
    const allele = await this.alleles.findById(alleleKey(name, locus.id, alleleId));
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

  /** GET /db/{db}/loci/{locus}/alleles_fasta: `>{locus}_{id}` and the unwrapped sequence, in id order. */
  async allelesFasta(name: string, locusName: string) {
    const db = await this.lookup.seqdef(name);
    const locus = await this.lookup.locus(db, locusName);
    if (!(await this.alleles.hasListed(name, locus.id)))
      throw ServiceError.notFound(`No alleles for locus ${locus.id} are defined.`);
    const alleles = this.alleles.streamListed(name, locus.id);
    async function* fasta() {
      for await (const allele of alleles) yield `>${locus.id}_${allele.alleleId}\n${allele.sequence}\n`;
    }
    return parkDownload(this.transfers, fasta());
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
