import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { insertMissing } from '../common/collection-helpers';
import { ALLELE_DESIGNATION, type AlleleDesignation } from './allele-designations.schema';

/** allele_designations: the allele ids of each isolate's loci, keyed by database|isolate id|locus|allele id. */
@Injectable()
export class AlleleDesignationsRepository {
  constructor(@InjectModel(ALLELE_DESIGNATION) private readonly model: Model<AlleleDesignation>) {}

  /** The loci an isolate has designations for, unsorted. */
  designatedLoci(database: string, isolateId: number): Promise<string[]> {
    return this.model.distinct('locus', { database, isolateId });
  }

  /** An isolate's designations of some loci, by locus then allele id. */
  ofLoci(database: string, isolateId: number, loci: string[]): Promise<AlleleDesignation[]> {
    return this.model
      .find({ database, isolateId, locus: { $in: loci } })
      .sort({ locus: 1, alleleId: 1 })
      .lean<AlleleDesignation[]>();
  }

  /** Every designation of a database, in brief (one equality query; for building its catalogue). */
  ofDatabase(database: string): Promise<Array<Pick<AlleleDesignation, 'isolateId' | 'locus' | 'alleleId' | 'status'>>> {
    return this.model
      .find({ database }, { _id: 0, isolateId: 1, locus: 1, alleleId: 1, status: 1 })
      .lean<AlleleDesignation[]>();
  }

  /** Inserts new designations in batches (one written meanwhile by another import is left as it is). */
  async insertMany(designations: AlleleDesignation[]): Promise<void> {
    await insertMissing(this.model, new Set(), designations);
  }
}
