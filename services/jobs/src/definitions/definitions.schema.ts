import type { JobDefinition } from '@helixgate/contracts';
import { Schema } from 'mongoose';

/** A job definition, by name. */
export interface DefinitionDocument {
  _id: string;
  definition: JobDefinition;
  updatedAt: string;
  /** Helixgate's own definition (kept current at start); an operator's replaces it and clears this. */
  shipped?: boolean;
}

export const DefinitionSchema = new Schema<DefinitionDocument>(
  { _id: String },
  { collection: 'definitions', strict: false, versionKey: false, minimize: false },
);

/** The model's name: its provider token (`mongoModel`, `@InjectModel`). */
export const DEFINITION = 'Definition';
