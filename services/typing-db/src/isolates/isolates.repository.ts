import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { insertMissing } from '../common/collection-helpers';
import {
  HISTORY_ENTRY,
  type HistoryEntry,
  ISOLATE,
  ISOLATE_CATALOGUE_BLOCK,
  type Isolate,
  type IsolateCatalogueBlock,
} from './isolates.schema';

/**
 * isolates: the isolate records of each isolates database, keyed by database|id; history, their curation; and
 * isolate_catalogue, the blocks of each database's catalogue its writer last stored.
 */
@Injectable()
export class IsolatesRepository {
  constructor(
    @InjectModel(ISOLATE) private readonly model: Model<Isolate>,
    @InjectModel(HISTORY_ENTRY) private readonly history: Model<HistoryEntry>,
    @InjectModel(ISOLATE_CATALOGUE_BLOCK) private readonly catalogue: Model<IsolateCatalogueBlock>,
  ) {}

  /** Every record of a database (one equality query; for building its catalogue). */
  ofDatabase(database: string): Promise<Isolate[]> {
    return this.model.find({ database }).lean<Isolate[]>();
  }

  /** The isolates of a database that have curation history. */
  historyIsolates(database: string): Promise<number[]> {
    return this.history.distinct('isolateId', { database });
  }

  /** Inserts new records in batches (one written meanwhile by another import is left as it is). */
  async insertMany(isolates: Isolate[]): Promise<void> {
    await insertMissing(this.model, new Set(), isolates);
  }

  async addHistoryMany(entries: HistoryEntry[]): Promise<void> {
    await this.history.insertMany(entries, { ordered: false, lean: true });
  }

  /** The stored catalogue blocks of a version, in block order. */
  async catalogueBlocks(database: string, version: number): Promise<IsolateCatalogueBlock[]> {
    const blocks = await this.catalogue.find({ database, version }).lean<IsolateCatalogueBlock[]>();
    const number = (block: IsolateCatalogueBlock) => Number(block._id.slice(block._id.lastIndexOf('|') + 1));
    return blocks.sort((a, b) => number(a) - number(b));
  }

  /** Inserts a new version's blocks (their ids name the version: no block is ever rewritten). */
  async saveCatalogueBlocks(blocks: IsolateCatalogueBlock[]): Promise<void> {
    await insertMissing(this.catalogue, new Set(), blocks);
  }

  /** Drops the blocks of an older version. */
  async dropCatalogue(database: string, version: number): Promise<void> {
    await this.catalogue.deleteMany({ database, version });
  }

  findById(key: string): Promise<Isolate | null> {
    return this.model.findById(key).lean<Isolate>();
  }

  async exists(key: string): Promise<boolean> {
    return (await this.model.exists({ _id: key })) !== null;
  }

  /** An imported change: fields set, list values added. */
  async update(key: string, set: Record<string, unknown>, add: Pick<Isolate, 'aliases' | 'publications' | 'projects'>) {
    await this.model.updateOne(
      { _id: key },
      {
        $set: set,
        $addToSet: {
          aliases: { $each: add.aliases },
          publications: { $each: add.publications },
          projects: { $each: add.projects },
        },
      },
    );
  }

  /** Marks a record as replaced by a newer one, unless it already is. */
  async replace(key: string, newVersion: number): Promise<void> {
    await this.model.updateOne({ _id: key, newVersion: { $exists: false } }, { $set: { newVersion } });
  }

  historyOf(database: string, isolateId: number): Promise<HistoryEntry[]> {
    return this.history.find({ database, isolateId }).sort({ timestamp: 1 }).lean<HistoryEntry[]>();
  }
}
