import type { PageRequest, ReplyOf, TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { AllelesRepository } from '../alleles/alleles.repository';
import { ALLELE_DATE_FILTERS, dateFilter } from '../common/filters';
import { Catalog } from '../common/catalog';
import { Lookup } from '../common/lookup';
import { pageResult, pageSlice, pageWindow } from '../common/paging';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';

/** BIGSdb's loci routes (Loci.pm). */
@Injectable()
export class LociService {
  constructor(
    private readonly lookup: Lookup,
    private readonly catalog: Catalog,
    private readonly alleles: AllelesRepository,
  ) {}

  /** The loci with alleles added or updated in the filter's dates (alleles_added_after…; seqdef databases only). */
  async lociWithAlleles(db: TypingDatabase, page: PageRequest): Promise<string[] | undefined> {
    const dates = dateFilter(page.query, ALLELE_DATE_FILTERS);
    if (db.type !== 'seqdef' || !Object.keys(dates).length) return undefined;
    return this.alleles.lociWithDates(db._id, dates);
  }

  /** GET /db/{db}/loci: paged, ordered by locus name. */
  async listLoci(baseUri: string, name: string, page: PageRequest) {
    const db = await this.lookup.database(name);
    const window = pageWindow(page);
    const withAlleles = await this.lociWithAlleles(db, page);
    const { lociInOrder } = await this.catalog.definitions(definitionsOf(db));
    const selected = withAlleles ? lociInOrder.filter((id) => withAlleles.includes(id)) : lociInOrder;
    const total = selected.length;
    const ids = pageSlice(selected, window);
    const { paging, headers } = pageResult(window, total, page, baseUri);
    return {
      body: {
        records: total,
        loci: ids.map((id) => `${baseUri}/db/${name}/loci/${id}`),
        ...(paging ? { paging } : {}),
      },
      headers,
    };
  }

  /** GET /db/{db}/loci/{locus}. */
  async getLocus(baseUri: string, name: string, locusName: string) {
    const db = await this.lookup.database(name);
    const locus = await this.lookup.locus(db, locusName);
    const root = `${baseUri}/db/${name}`;
    const schemes = (await this.catalog.definitions(definitionsOf(db))).schemesInOrder.filter((s) =>
      s.loci.includes(locus.id),
    );
    const body: ReplyOf<typeof TypingSubjects.getLocus> = {
      id: locus.id,
      data_type: locus.dataType,
      allele_id_format: locus.alleleIdFormat,
      length_varies: locus.lengthVaries,
      coding_sequence: true,
    };
    if (!locus.lengthVaries && locus.minLength !== undefined) body.length = locus.minLength;
    if (schemes.length)
      body.schemes = schemes.map((s) => ({ scheme: `${root}/schemes/${s.id}`, description: s.description }));
    if (db.type === 'seqdef') {
      if (locus.lengthVaries) Object.assign(body, { min_length: locus.minLength, max_length: locus.maxLength });
      body.alleles = `${root}/loci/${locus.id}/alleles`;
      body.alleles_fasta = `${root}/loci/${locus.id}/alleles_fasta`;
    }
    return body;
  }
}
