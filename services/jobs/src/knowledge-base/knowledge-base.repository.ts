import type { KnowledgeBase } from '@helixgate/cgi';
import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { KNOWLEDGE_BASE, type KnowledgeBaseDocument } from './knowledge-base.schema';

/** knowledge_base: one row, "current", replaced whole. */
@Injectable()
export class KnowledgeBaseRepository {
  constructor(@InjectModel(KNOWLEDGE_BASE) private readonly model: Model<KnowledgeBaseDocument>) {}

  async replaceCurrent(kb: KnowledgeBase): Promise<void> {
    await this.model.replaceOne(
      { _id: 'current' },
      { _id: 'current', kb, loadedAt: new Date().toISOString() },
      { upsert: true },
    );
  }

  async hasCurrent(): Promise<boolean> {
    return (await this.model.findById('current', { _id: 1 }).lean()) !== null;
  }

  findCurrent(): Promise<KnowledgeBaseDocument | null> {
    return this.model.findById('current').lean<KnowledgeBaseDocument>();
  }
}
