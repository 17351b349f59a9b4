import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { DatabasesRepository } from '../databases/databases.repository';
import type { Model } from 'mongoose';
import { SCHEME, type Scheme } from './schemes.schema';

/** schemes: the schemes of each seqdef database, by database and id. */
@Injectable()
export class SchemesRepository {
  constructor(
    @InjectModel(SCHEME) private readonly model: Model<Scheme>,
    private readonly databases: DatabasesRepository,
  ) {}

  /** Every scheme of every database (the catalog). */
  every(): Promise<Scheme[]> {
    return this.model.find({}, { _id: 0 }).lean<Scheme[]>();
  }

  find(database: string, id: number): Promise<Scheme | null> {
    return this.model.findOne({ database, id }).lean<Scheme>();
  }

  /** Whether any scheme of the database has a primary key field (profiles may be submitted). */
  async anyWithPrimaryKey(database: string): Promise<boolean> {
    const schemes = await this.model.find({ database }, { fields: 1 }).lean<Scheme[]>();
    return schemes.some((scheme) => scheme.fields.some((f) => f.primaryKey));
  }

  /** Profiles were added: a new version makes every reader reload the scheme's profiles. */
  async profilesAdded(database: string, id: number): Promise<void> {
    await this.model.updateOne({ database, id }, { $set: { version: Date.now() } });
    await this.databases.definitionsChanged(database);
  }

  /** Creates an imported scheme unless it exists. */
  async ensure(database: string, id: number, spec: Pick<Scheme, 'description' | 'loci' | 'fields'>): Promise<void> {
    const { upsertedCount } = await this.model.updateOne({ database, id }, { $setOnInsert: spec }, { upsert: true });
    if (upsertedCount) await this.databases.definitionsChanged(database);
  }

  /** The fingerprint of the files the scheme was last imported from, when it was imported whole. */
  async sourceFingerprint(database: string, id: number): Promise<string | undefined> {
    return (await this.model.findOne({ database, id }, { sourceFingerprint: 1 }).lean<Scheme>())?.sourceFingerprint;
  }

  /** An import of the scheme completed: the fingerprint of its files, so that an unchanged folder is not read again. */
  async imported(database: string, id: number, sourceFingerprint: string): Promise<void> {
    await this.model.updateOne({ database, id }, { $set: { sourceFingerprint } });
  }
}
