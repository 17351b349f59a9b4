import type { FieldValue } from '@helixgate/contracts';
import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { idPage, insertMissing } from '../common/collection-helpers';
import type { PageWindow } from '../common/paging';
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

  async saveCatalogueBlocks(blocks: IsolateCatalogueBlock[]): Promise<void> {
    for (const block of blocks) await this.catalogue.replaceOne({ _id: block._id }, block, { upsert: true });
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

  /** The latest record of an isolate name. */
  findByName(database: string, name: string): Promise<Isolate | null> {
    return this.model.findOne({ database, 'provenance.isolate': name }).sort({ id: -1 }).lean<Isolate>();
  }

  /** The record a newer one replaced. */
  async olderVersion(database: string, id: number): Promise<number | undefined> {
    return (await this.model.findOne({ database, newVersion: id }, { id: 1 }).lean<Pick<Isolate, 'id'>>())?.id;
  }

  async lastId(database: string): Promise<number | undefined> {
    return (await this.model.findOne({ database }, { id: 1 }).sort({ id: -1 }).lean<Pick<Isolate, 'id'>>())?.id;
  }

  /** A page of the filter's isolate ids in id order, with the whole selection's count and latest dates. */
  async page(filter: Record<string, unknown>, window: PageWindow) {
    const { total, ids } = await idPage<number, Isolate>(this.model, filter, window);
    const added = await this.model.findOne(filter, { dateEntered: 1 }).sort({ dateEntered: -1 }).lean<Isolate>();
    const updated = await this.model.findOne(filter, { datestamp: 1 }).sort({ datestamp: -1 }).lean<Isolate>();
    return { total, ids, lastAdded: added?.dateEntered, lastUpdated: updated?.datestamp };
  }

  /** The values a provenance (or system) field has in the database, unsorted. */
  distinctValues(database: string, path: string): Promise<FieldValue[]> {
    return this.model.distinct(path, { database });
  }

  /** The ids of a project's current isolates (no newer version), in id order. */
  async currentInProject(database: string, projectId: number): Promise<number[]> {
    const rows = await this.model
      .find({ database, projects: projectId, newVersion: { $exists: false } }, { id: 1 })
      .sort({ id: 1 })
      .lean<Array<Pick<Isolate, 'id'>>>();
    return rows.map((r) => r.id);
  }

  /** Which of the ids are current isolates (no newer version), in id order. */
  async currentAmong(database: string, ids: number[]): Promise<number[]> {
    const rows = await this.model
      .find({ database, id: { $in: ids }, newVersion: { $exists: false } }, { id: 1 })
      .sort({ id: 1 })
      .lean<Array<Pick<Isolate, 'id'>>>();
    return rows.map((r) => r.id);
  }

  async create(isolate: Isolate): Promise<void> {
    await this.model.create(isolate);
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

  async hasHistory(database: string, isolateId: number): Promise<boolean> {
    return (await this.history.exists({ database, isolateId })) !== null;
  }

  historyOf(database: string, isolateId: number): Promise<HistoryEntry[]> {
    return this.history.find({ database, isolateId }).sort({ timestamp: 1 }).lean<HistoryEntry[]>();
  }

  async addHistory(entry: HistoryEntry): Promise<void> {
    await this.history.create(entry);
  }
}
