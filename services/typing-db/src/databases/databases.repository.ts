import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { IsolateField } from '../fields/fields.schema';
import { TYPING_DATABASE, type TypingDatabase } from './databases.schema';

/** databases: one row per BIGSdb database, keyed by its name. */
@Injectable()
export class DatabasesRepository {
  constructor(@InjectModel(TYPING_DATABASE) private readonly model: Model<TypingDatabase>) {}

  /** Every database, by name. */
  list(): Promise<TypingDatabase[]> {
    return this.model.find().sort({ _id: 1 }).lean<TypingDatabase[]>();
  }

  find(name: string): Promise<TypingDatabase | null> {
    return this.model.findById(name).lean<TypingDatabase>();
  }

  async exists(name: string): Promise<boolean> {
    return (await this.model.exists({ _id: name })) !== null;
  }

  async seqdefNames(): Promise<string[]> {
    return (await this.model.find({ type: 'seqdef' }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((d) => d._id);
  }

  /** Creates a seqdef database unless it exists. */
  async ensureSeqdef(name: string, description: string, group: TypingDatabase['group']): Promise<void> {
    await this.model.updateOne(
      { _id: name },
      { $setOnInsert: { type: 'seqdef', description, group } },
      { upsert: true },
    );
  }

  /** Creates an isolates database unless it exists, and sets its seqdef and provenance fields. */
  async saveIsolates(
    name: string,
    spec: { description: string; group: TypingDatabase['group']; seqdef: string; fields: IsolateField[] },
  ): Promise<void> {
    await this.model.updateOne(
      { _id: name },
      {
        $setOnInsert: { type: 'isolates', description: spec.description, group: spec.group },
        $set: { seqdef: spec.seqdef, fields: spec.fields },
      },
      { upsert: true },
    );
  }

  /** The database's loci, schemes, classification schemes or users changed: every replica's catalog reloads them. */
  async definitionsChanged(name: string): Promise<void> {
    await this.model.updateOne({ _id: name }, { $inc: { definitionsVersion: 1 } });
  }

  /** Points an isolates database at the catalogue blocks of a version (written before). */
  async setCatalogue(name: string, catalogue: NonNullable<TypingDatabase['catalogue']>): Promise<void> {
    await this.model.updateOne({ _id: name }, { $set: { catalogue } });
  }
}
