import { type Connection, type Model, Schema } from 'mongoose';

/** A BIGSdb database: a sequence-definition (seqdef) or an isolates database, in a resource group. */
export interface TypingDatabase {
  _id: string; // the config name, e.g. pubmlst_neisseria_seqdef
  type: 'seqdef' | 'isolates';
  description: string;
  group: { name: string; description: string };
}

export interface Locus {
  database: string;
  id: string;
  dataType: 'DNA' | 'peptide';
  alleleIdFormat: 'integer' | 'text';
  lengthVaries: boolean;
  length?: number;
  minLength?: number;
  maxLength?: number;
}

export interface Allele {
  /** database|locus|allele id: the natural key, so re-imports and point reads go by _id on MongoDB and FerretDB alike. */
  _id: string;
  database: string;
  locus: string;
  alleleId: string;
  /** For BIGSdb's CAST(id AS int) ordering of integer ids. */
  order: number;
  sequence: string;
  /** SHA-256 of the upper-cased sequence: one id per sequence per locus, exact lookups in one index read. */
  digest: string;
  status: string;
  dateEntered: string;
  datestamp: string;
}

export interface Scheme {
  database: string;
  id: number;
  description: string;
  loci: string[];
  fields: Array<{ name: string; type: 'integer' | 'text'; primaryKey: boolean }>;
}

export interface Profile {
  /** database|scheme id|profile id. */
  _id: string;
  database: string;
  schemeId: number;
  profileId: string;
  order: number;
  /** Allele ids in the order of the scheme's loci. */
  alleles: string[];
  fields: Record<string, string | number>;
  dateEntered: string;
  datestamp: string;
}

const DatabaseSchema = new Schema<TypingDatabase>(
  { _id: String, type: { type: String, required: true }, description: String, group: { name: String, description: String } },
  { collection: 'databases', versionKey: false },
);

const LocusSchema = new Schema<Locus>(
  { database: String, id: String, dataType: String, alleleIdFormat: String, lengthVaries: Boolean, length: Number, minLength: Number, maxLength: Number },
  { collection: 'loci', versionKey: false },
);
LocusSchema.index({ database: 1, id: 1 }, { unique: true });

const AlleleSchema = new Schema<Allele>(
  { _id: String, database: String, locus: String, alleleId: String, order: Number, sequence: String, digest: String, status: String, dateEntered: String, datestamp: String },
  { collection: 'alleles', versionKey: false },
);
AlleleSchema.index({ database: 1, locus: 1, digest: 1 }, { unique: true });
AlleleSchema.index({ database: 1, locus: 1, order: 1 });

const SchemeSchema = new Schema<Scheme>(
  { database: String, id: Number, description: String, loci: [String], fields: [{ _id: false, name: String, type: { type: String }, primaryKey: Boolean }] },
  { collection: 'schemes', versionKey: false },
);
SchemeSchema.index({ database: 1, id: 1 }, { unique: true });

const ProfileSchema = new Schema<Profile>(
  { _id: String, database: String, schemeId: Number, profileId: String, order: Number, alleles: [String], fields: Schema.Types.Mixed, dateEntered: String, datestamp: String },
  { collection: 'profiles', versionKey: false },
);
ProfileSchema.index({ database: 1, schemeId: 1, order: 1 });

export interface TypingModels {
  databases: Model<TypingDatabase>;
  loci: Model<Locus>;
  alleles: Model<Allele>;
  schemes: Model<Scheme>;
  profiles: Model<Profile>;
}

export async function typingModels(connection: Connection): Promise<TypingModels> {
  const models: TypingModels = {
    databases: connection.model<TypingDatabase>('TypingDatabase', DatabaseSchema),
    loci: connection.model<Locus>('Locus', LocusSchema),
    alleles: connection.model<Allele>('Allele', AlleleSchema),
    schemes: connection.model<Scheme>('Scheme', SchemeSchema),
    profiles: connection.model<Profile>('Profile', ProfileSchema),
  };
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.init()));
  return models;
}

export const alleleKey = (database: string, locus: string, alleleId: string) => `${database}|${locus}|${alleleId}`;
export const profileKey = (database: string, schemeId: number, profileId: string) => `${database}|${schemeId}|${profileId}`;
