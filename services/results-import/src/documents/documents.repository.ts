import { InjectModel, isDuplicateKeyError } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { RESULT_DOCUMENT, type ResultDocument } from './documents.schema';

/** result_documents: one row per distinct posted document, keyed by its id. Reads skip expired rows. */
@Injectable()
export class DocumentsRepository {
  constructor(@InjectModel(RESULT_DOCUMENT) private readonly model: Model<ResultDocument>) {}

  /**
   * Stores a document under its id, idempotently: a live copy is left as it is (same link, same lifetime);
   * an expired copy, not yet swept, starts a new lifetime. Returns the row and whether this call wrote it.
   */
  async store(
    row: Omit<ResultDocument, 'createdAt' | 'expiresAt'>,
    now: Date,
    ttlMs: number,
  ): Promise<{ row: ResultDocument; stored: boolean }> {
    const lifetime = { createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) };
    const renewed = await this.model.updateOne(
      { _id: row._id, expiresAt: { $lte: now } },
      { $set: { ...row, ...lifetime } },
    );
    let inserted = false;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const result = await this.model.updateOne(
          { _id: row._id },
          { $setOnInsert: { ...row, ...lifetime } },
          { upsert: true },
        );
        inserted = result.upsertedCount === 1;
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt === 1) throw error; // a concurrent insert of the same document won
      }
    }
    const saved = await this.model.findById(row._id).lean<ResultDocument>();
    if (!saved) throw new Error(`result document ${row._id} vanished right after it was stored`);
    return { row: saved, stored: inserted || renewed.modifiedCount === 1 };
  }

  findLive(id: string, now: Date): Promise<ResultDocument | null> {
    return this.model.findOne({ _id: id, expiresAt: { $gt: now } }).lean<ResultDocument>();
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lte: now } });
    return result.deletedCount;
  }
}
