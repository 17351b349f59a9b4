import { InjectModel, InsertBatcher } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { RESULT_DOCUMENT, type ResultDocument } from './documents.schema';

/** result_documents: one row per distinct posted document, keyed by its id. Reads skip expired rows. */
@Injectable()
export class DocumentsRepository {
  /** Documents posted at the same moment are inserted together. */
  private readonly inserts: InsertBatcher<ResultDocument>;

  constructor(@InjectModel(RESULT_DOCUMENT) private readonly model: Model<ResultDocument>) {
    this.inserts = new InsertBatcher(model);
  }

  /**
   * Stores a document under its id, idempotently: a live copy is left as it is (same link, same lifetime);
   * an expired copy, not yet swept, starts a new lifetime. Returns the row and whether this call wrote it.
   * A new document is one insert (shared with the documents posted at the same moment); a document posted again is
   * the refused insert and one read.
   */
  async store(
    row: Omit<ResultDocument, 'createdAt' | 'expiresAt'>,
    now: Date,
    ttlMs: number,
  ): Promise<{ row: ResultDocument; stored: boolean }> {
    const fresh: ResultDocument = { ...row, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await this.inserts.insert(fresh)) return { row: fresh, stored: true };
      const saved = await this.model.findById(row._id).lean<ResultDocument>();
      if (saved && saved.expiresAt > now) return { row: saved, stored: false };
      if (saved) {
        // Expired, not yet swept: a new lifetime, unless another request renewed it meanwhile.
        const renewed = await this.model.updateOne({ _id: row._id, expiresAt: { $lte: now } }, { $set: fresh });
        if (renewed.modifiedCount === 1) return { row: fresh, stored: true };
      }
      // Swept or renewed between the insert and the read: try again.
    }
    throw new Error(`result document ${row._id} could not be stored`);
  }

  findLive(id: string, now: Date): Promise<ResultDocument | null> {
    return this.model.findOne({ _id: id, expiresAt: { $gt: now } }).lean<ResultDocument>();
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lte: now } });
    return result.deletedCount;
  }
}
