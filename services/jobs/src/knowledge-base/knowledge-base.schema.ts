import type { KnowledgeBase } from '@helixgate/cgi';
import { Schema } from 'mongoose';

/** The CGI knowledge base, one document ("current"). */
export interface KnowledgeBaseDocument {
  _id: string;
  kb: KnowledgeBase;
  loadedAt: string;
}

export const KnowledgeBaseDocumentSchema = new Schema<KnowledgeBaseDocument>(
  { _id: String },
  { collection: 'knowledge_base', strict: false, versionKey: false, minimize: false },
);

/** The model's name: its provider token (`mongoModel`, `@InjectModel`). */
export const KNOWLEDGE_BASE = 'KnowledgeBase';
