import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { DatabasesRepository } from '../databases/databases.repository';
import type { Model } from 'mongoose';
import { LOCUS, type Locus } from './loci.schema';

/** loci: the loci of each seqdef database, by database and id. */
@Injectable()
export class LociRepository {
  constructor(
    @InjectModel(LOCUS) private readonly model: Model<Locus>,
    private readonly databases: DatabasesRepository,
  ) {}

  /** Every locus of every database (the catalog: a few thousand small documents). */
  every(): Promise<Locus[]> {
    return this.model.find({}, { _id: 0 }).lean<Locus[]>();
  }

  async exists(database: string, id: string): Promise<boolean> {
    return (await this.model.exists({ database, id })) !== null;
  }

  find(database: string, id: string): Promise<Locus | null> {
    return this.model.findOne({ database, id }).lean<Locus>();
  }

  findMany(database: string, ids: string[]): Promise<Locus[]> {
    return this.model.find({ database, id: { $in: ids } }).lean<Locus[]>();
  }

  all(database: string): Promise<Locus[]> {
    return this.model.find({ database }).lean<Locus[]>();
  }

  /** Every locus's id format, for checking submitted designations. */
  idFormats(database: string): Promise<Array<Pick<Locus, 'id' | 'alleleIdFormat'>>> {
    return this.model.find({ database }, { id: 1, alleleIdFormat: 1 }).lean<Locus[]>();
  }

  /** An allele was added: the locus's lengths now, and a new version that makes every reader reload the locus. */
  async alleleAdded(database: string, id: string, minLength: number, maxLength: number): Promise<void> {
    await this.model.updateOne(
      { database, id },
      { $set: { minLength, maxLength, lengthVaries: minLength !== maxLength, version: Date.now() } },
    );
    await this.databases.definitionsChanged(database);
  }

  /**
   * Imported loci, in one bulk write: each created as DNA with integer ids (and a version) when new; lengths set; a
   * new version when alleles came.
   */
  async saveImported(
    database: string,
    loci: Array<{ id: string; minLength: number; maxLength: number; changed: boolean }>,
  ): Promise<void> {
    if (!loci.length) return;
    const version = Date.now();
    await this.model.bulkWrite(
      loci.map(({ id, minLength, maxLength, changed }) => ({
        updateOne: {
          filter: { database, id },
          update: {
            $setOnInsert: {
              dataType: 'DNA' as const,
              alleleIdFormat: 'integer' as const,
              ...(changed ? {} : { version }),
            },
            $set: { lengthVaries: minLength !== maxLength, minLength, maxLength, ...(changed ? { version } : {}) },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    await this.databases.definitionsChanged(database);
  }
}
