import { Schema } from 'mongoose';
import { type IsolateField, IsolateFieldSchema } from '../fields/fields.schema';

/** A BIGSdb database: a sequence-definition (seqdef) or an isolates database, in a resource group. */
export interface TypingDatabase {
  _id: string; // the config name, e.g. pubmlst_neisseria_seqdef
  type: 'seqdef' | 'isolates';
  description: string;
  group: { name: string; description: string };
  /** Isolates databases: the seqdef database their loci, schemes, profiles and classification schemes come from. */
  seqdef?: string;
  /** Isolates databases: the provenance fields, in display order (BIGSdb's config.xml). */
  fields?: IsolateField[];
  /** Isolates databases: the version of the isolate catalogue its last writer stored, and its number of blocks. */
  catalogue?: { version: number; blocks: number };
  /** Bumped by every write to the database's loci, schemes, classification schemes or users: the catalog reloads them. */
  definitionsVersion?: number;
}

export const TypingDatabaseSchema = new Schema<TypingDatabase>(
  {
    _id: String,
    type: { type: String, required: true },
    description: String,
    group: { name: String, description: String },
    seqdef: String,
    fields: { type: [IsolateFieldSchema], default: undefined },
    catalogue: { type: { version: Number, blocks: Number }, default: undefined, _id: false },
    definitionsVersion: Number,
  },
  { collection: 'databases', versionKey: false },
);

export const TYPING_DATABASE = 'TypingDatabase';

/** The database whose loci, schemes and profiles a database uses: itself, or an isolates database's seqdef. */
export const definitionsOf = (db: TypingDatabase): string => (db.type === 'isolates' && db.seqdef ? db.seqdef : db._id);
