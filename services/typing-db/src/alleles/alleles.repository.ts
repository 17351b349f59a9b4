import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { insertNew, nextIntegerId } from '../common/collection-helpers';
import { ALLELE, type Allele, EXCLUDED_ALLELE_IDS } from './alleles.schema';

/** alleles: every allele of every locus, keyed by database|locus|allele id; unique by sequence digest per locus. */
@Injectable()
export class AllelesRepository {
  constructor(@InjectModel(ALLELE) private readonly model: Model<Allele>) {}

  /** The alleles a locus lists (0, N and P left out). */
  private static listed(database: string, locus: string) {
    return { database, locus, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
  }

  findById(key: string): Promise<Allele | null> {
    return this.model.findById(key).lean<Allele>();
  }

  /** Every allele of a locus, 0, N and P too, not sorted (FerretDB sorts large results slowly). */
  ofLocus(
    database: string,
    locus: string,
  ): Promise<Array<Pick<Allele, 'alleleId' | 'order' | 'sequence' | 'status' | 'dateEntered' | 'datestamp'>>> {
    return this.model
      .find(
        { database, locus },
        { _id: 0, alleleId: 1, order: 1, sequence: 1, status: 1, dateEntered: 1, datestamp: 1 },
      )
      .lean<Allele[]>();
  }

  /** The loci with alleles in the dates. */
  lociWithDates(database: string, dates: object): Promise<string[]> {
    return this.model.distinct('locus', { database, ...dates });
  }

  /** How many alleles a database lists, and its latest datestamp. */
  async summary(database: string): Promise<{ records: number; lastUpdated?: string }> {
    const filter = { database, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    const latest = await this.model
      .findOne(filter, { datestamp: 1 })
      .sort({ datestamp: -1 })
      .lean<Pick<Allele, 'datestamp'>>();
    return { records: await this.model.countDocuments(filter), lastUpdated: latest?.datestamp };
  }

  /** The listed alleles of a database (or of some of its loci), for the allele index: not sorted here. */
  forIndex(
    database: string,
    loci?: string[],
  ): Promise<Array<Pick<Allele, 'locus' | 'alleleId' | 'sequence' | 'order'>>> {
    const filter: Record<string, unknown> = { database, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    if (loci) filter.locus = loci.length === 1 ? loci[0] : { $in: loci };
    // No sort in the database: FerretDB sorts large results slowly; the caller puts the order right.
    return this.model.find(filter, { _id: 0, locus: 1, alleleId: 1, sequence: 1, order: 1 }).lean<Allele[]>();
  }

  byDigests(database: string, locus: string, digests: string[]): Promise<Array<Pick<Allele, 'alleleId' | 'digest'>>> {
    return this.model.find({ database, locus, digest: { $in: digests } }, { alleleId: 1, digest: 1 }).lean<Allele[]>();
  }

  async idOfDigest(database: string, locus: string, digest: string): Promise<string | undefined> {
    return (await this.model.findOne({ database, locus, digest }, { alleleId: 1 }).lean<Pick<Allele, 'alleleId'>>())
      ?.alleleId;
  }

  /** Which of the keys (database|locus|allele id) are alleles. */
  async existingKeys(keys: string[]): Promise<Set<string>> {
    return new Set(
      (await this.model.find({ _id: { $in: keys } }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((a) => a._id),
    );
  }

  nextId(database: string, locus: string): Promise<string> {
    return nextIntegerId(this.model, { database, locus });
  }

  /** Inserts an allele; a duplicate key (its id or its sequence taken) is the caller's to handle. */
  async create(allele: Allele): Promise<void> {
    await this.model.create(allele);
  }

  /**
   * Imports alleles: those not there yet are inserted; one already there (its id, or its sequence under another id,
   * in its locus) is skipped by the unique indexes, with nothing read first (insertBatch).
   */
  importMissing(rows: AsyncIterable<Allele>) {
    return insertNew(this.model, rows);
  }
}
