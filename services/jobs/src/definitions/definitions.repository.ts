import type { JobDefinition } from '@helixgate/contracts';
import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { DEFINITION, type DefinitionDocument } from './definitions.schema';

const now = () => new Date().toISOString();

/** definitions: one row per job definition, keyed by the job's name. */
@Injectable()
export class DefinitionsRepository {
  constructor(@InjectModel(DEFINITION) private readonly model: Model<DefinitionDocument>) {}

  findByName(name: string): Promise<DefinitionDocument | null> {
    return this.model.findById(name).lean<DefinitionDocument>();
  }

  findAll(): Promise<DefinitionDocument[]> {
    return this.model.find().lean<DefinitionDocument[]>();
  }

  /** Puts the definition under its name, replacing any there (and its `shipped` mark). */
  async replace(definition: JobDefinition): Promise<void> {
    await this.model.replaceOne(
      { _id: definition.name },
      { _id: definition.name, definition, updatedAt: now() },
      { upsert: true },
    );
  }

  /** Replaces the definition of its name while that one is still the shipped one; whether it did. */
  async updateShipped(definition: JobDefinition): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: definition.name, shipped: true },
      { $set: { definition, updatedAt: now() } },
    );
    return result.matchedCount === 1;
  }

  /** Puts the definition, marked shipped, when none has its name; whether it did. */
  async insertShipped(definition: JobDefinition): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: definition.name },
      { $setOnInsert: { definition, shipped: true, updatedAt: now() } },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  }
}
