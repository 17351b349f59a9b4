import { type Connection, type Model, Schema } from 'mongoose';

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
}

/** A provenance field of an isolates database, as BIGSdb's config.xml defines it. */
export interface IsolateField {
  name: string;
  type: 'int' | 'text' | 'date' | 'float' | 'bool';
  required: boolean;
  length?: number;
  min?: number;
  max?: number;
  regex?: string;
  comments?: string;
  allowedValues?: string[];
}

export interface Isolate {
  /** database|id. */
  _id: string;
  database: string;
  id: number;
  /** Provenance values by field name (int fields as numbers); id, sender, curator and the dates live beside them. */
  provenance: Record<string, string | number | boolean>;
  aliases: string[];
  /** PubMed ids. */
  publications: number[];
  /** Project ids. */
  projects: number[];
  /** The id of the record that replaces this one (BIGSdb's new_version). */
  newVersion?: number;
  sender: number;
  curator: number;
  dateEntered: string;
  datestamp: string;
}

/** Where the fields every isolates database has (BIGSdb's system fields) live on an Isolate; the others are in provenance. */
export const ISOLATE_SYSTEM_FIELDS = {
  id: 'id',
  sender: 'sender',
  curator: 'curator',
  date_entered: 'dateEntered',
  datestamp: 'datestamp',
} as const satisfies Record<string, keyof Isolate>;

/** The document path of a provenance field. */
export const isolateFieldPath = (name: string): string =>
  ISOLATE_SYSTEM_FIELDS[name as keyof typeof ISOLATE_SYSTEM_FIELDS] ?? `provenance.${name}`;

export interface AlleleDesignation {
  /** database|isolate id|locus|allele id. */
  _id: string;
  database: string;
  isolateId: number;
  locus: string;
  alleleId: string;
  status: 'confirmed' | 'provisional' | 'ignore';
  method: 'manual' | 'automatic';
  comments?: string;
  sender: number;
  curator: number;
  dateEntered: string;
  datestamp: string;
}

/**
 * A contig in an isolate's sequence bin. Its sequence is kept apart (ContigSequence, same _id), so listing and
 * filtering contigs never reads megabases.
 */
export interface Contig {
  /** database|contig id. */
  _id: string;
  database: string;
  id: number;
  isolateId: number;
  length: number;
  /** SHA-256 of the sequence: the same contig is stored once per isolate, whatever its header. */
  digest: string;
  method?: string;
  originalDesignation?: string;
  comments?: string;
  sender: number;
  curator: number;
  dateEntered: string;
  datestamp: string;
}

export interface ContigSequence {
  /** The contig's _id. */
  _id: string;
  sequence: string;
}

/** One curation event on an isolate: the actions are BIGSdb's `field: 'old' -> 'new'` lines. */
export interface HistoryEntry {
  database: string;
  isolateId: number;
  curator: number;
  /** PostgreSQL timestamp text, as BIGSdb returns it: 2016-03-03 10:15:22.394718. */
  timestamp: string;
  actions: string[];
}

export interface Project {
  database: string;
  id: number;
  description: string;
}

/** A user of a database (sender, curator, submitter), linked to a Helixgate account by e-mail. */
export interface TypingUser {
  _id?: unknown;
  database: string;
  id: number;
  firstName: string;
  surname: string;
  affiliation: string;
  email: string;
  status: 'user' | 'submitter' | 'curator' | 'admin';
  /** The auth service account (its e-mail) this user signs in as. */
  account?: string;
}

/** Single-linkage groups of a scheme's profiles at an inclusion threshold of mismatching loci. */
export interface ClassificationScheme {
  database: string;
  id: number;
  schemeId: number;
  name: string;
  description?: string;
  inclusionThreshold: number;
  relativeThreshold: boolean;
  displayOrder: number;
  /** Changes whenever classify adds members: readers' cached memberships are stale when it differs. */
  version?: number;
}

export interface ClassificationGroupMember {
  /** database|classification scheme id|profile id. */
  _id: string;
  database: string;
  classificationSchemeId: number;
  groupId: number;
  profileId: string;
  order: number;
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
  /** Changes whenever alleles are added: readers' cached id lists of the locus are stale when it differs. */
  version?: number;
}

/** Allele ids BIGSdb keeps for 'deleted', 'missing' and 'present': never listed, downloaded or matched. */
export const EXCLUDED_ALLELE_IDS = ['0', 'N', 'P'];

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
  /** Changes whenever profiles are added: readers' cached id lists of the scheme are stale when it differs. */
  version?: number;
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

const IsolateFieldSchema = new Schema<IsolateField>(
  {
    name: String,
    type: { type: String },
    required: Boolean,
    length: Number,
    min: Number,
    max: Number,
    regex: String,
    comments: String,
    allowedValues: { type: [String], default: undefined },
  },
  { _id: false },
);

/** Profiles by their allele ids: finding a sequence type from designations is one _id read. */
export interface ProfileByAlleles {
  /** database|scheme id|allele ids joined with tabs, in the order of the scheme's loci. */
  _id: string;
  profileId: string;
}
const ProfileByAllelesSchema = new Schema<ProfileByAlleles>(
  { _id: String, profileId: String },
  { collection: 'profiles_by_alleles', versionKey: false },
);

const DatabaseSchema = new Schema<TypingDatabase>(
  {
    _id: String,
    type: { type: String, required: true },
    description: String,
    group: { name: String, description: String },
    seqdef: String,
    fields: { type: [IsolateFieldSchema], default: undefined },
  },
  { collection: 'databases', versionKey: false },
);

const LocusSchema = new Schema<Locus>(
  {
    database: String,
    id: String,
    dataType: String,
    alleleIdFormat: String,
    lengthVaries: Boolean,
    length: Number,
    minLength: Number,
    maxLength: Number,
    version: Number,
  },
  { collection: 'loci', versionKey: false },
);
LocusSchema.index({ database: 1, id: 1 }, { unique: true });

const AlleleSchema = new Schema<Allele>(
  {
    _id: String,
    database: String,
    locus: String,
    alleleId: String,
    order: Number,
    sequence: String,
    digest: String,
    status: String,
    dateEntered: String,
    datestamp: String,
  },
  { collection: 'alleles', versionKey: false },
);
AlleleSchema.index({ database: 1, locus: 1, digest: 1 }, { unique: true });
AlleleSchema.index({ database: 1, locus: 1, order: 1 });

const SchemeSchema = new Schema<Scheme>(
  {
    database: String,
    id: Number,
    description: String,
    loci: [String],
    fields: [{ _id: false, name: String, type: { type: String }, primaryKey: Boolean }],
    version: Number,
  },
  { collection: 'schemes', versionKey: false },
);
SchemeSchema.index({ database: 1, id: 1 }, { unique: true });

const ProfileSchema = new Schema<Profile>(
  {
    _id: String,
    database: String,
    schemeId: Number,
    profileId: String,
    order: Number,
    alleles: [String],
    fields: Schema.Types.Mixed,
    dateEntered: String,
    datestamp: String,
  },
  { collection: 'profiles', versionKey: false },
);
ProfileSchema.index({ database: 1, schemeId: 1, order: 1 });

const IsolateSchema = new Schema<Isolate>(
  {
    _id: String,
    database: String,
    id: Number,
    provenance: Schema.Types.Mixed,
    aliases: [String],
    publications: [Number],
    projects: [Number],
    newVersion: Number,
    sender: Number,
    curator: Number,
    dateEntered: String,
    datestamp: String,
  },
  { collection: 'isolates', versionKey: false, minimize: false },
);
IsolateSchema.index({ database: 1, id: 1 });

const DesignationSchema = new Schema<AlleleDesignation>(
  {
    _id: String,
    database: String,
    isolateId: Number,
    locus: String,
    alleleId: String,
    status: String,
    method: String,
    comments: String,
    sender: Number,
    curator: Number,
    dateEntered: String,
    datestamp: String,
  },
  { collection: 'allele_designations', versionKey: false },
);
DesignationSchema.index({ database: 1, isolateId: 1, locus: 1 });
DesignationSchema.index({ database: 1, locus: 1, alleleId: 1 });

const ContigSchema = new Schema<Contig>(
  {
    _id: String,
    database: String,
    id: Number,
    isolateId: Number,
    length: Number,
    digest: String,
    method: String,
    originalDesignation: String,
    comments: String,
    sender: Number,
    curator: Number,
    dateEntered: String,
    datestamp: String,
  },
  { collection: 'sequence_bin', versionKey: false },
);
ContigSchema.index({ database: 1, isolateId: 1, digest: 1 }, { unique: true });
ContigSchema.index({ database: 1, isolateId: 1, id: 1 });

const ContigSequenceSchema = new Schema<ContigSequence>(
  { _id: String, sequence: String },
  { collection: 'sequence_bin_sequences', versionKey: false },
);

const HistorySchema = new Schema<HistoryEntry>(
  { database: String, isolateId: Number, curator: Number, timestamp: String, actions: [String] },
  { collection: 'history', versionKey: false },
);
HistorySchema.index({ database: 1, isolateId: 1, timestamp: 1 });

const ProjectSchema = new Schema<Project>(
  { database: String, id: Number, description: String },
  { collection: 'projects', versionKey: false },
);
ProjectSchema.index({ database: 1, id: 1 }, { unique: true });

const UserSchema = new Schema<TypingUser>(
  // _id: the server's ObjectId for imported and curated users; accountUserKey for those registered by a first submission.
  {
    _id: Schema.Types.Mixed,
    database: String,
    id: Number,
    firstName: String,
    surname: String,
    affiliation: String,
    email: String,
    status: String,
    account: String,
  },
  { collection: 'users', versionKey: false },
);
UserSchema.index({ database: 1, id: 1 }, { unique: true });
// The submissions' look-up of the caller's user (first by id), on every submissions call.
UserSchema.index({ database: 1, account: 1, id: 1 });

const ClassificationSchemeSchema = new Schema<ClassificationScheme>(
  {
    database: String,
    id: Number,
    schemeId: Number,
    name: String,
    description: String,
    inclusionThreshold: Number,
    relativeThreshold: Boolean,
    displayOrder: Number,
    version: Number,
  },
  { collection: 'classification_schemes', versionKey: false },
);
ClassificationSchemeSchema.index({ database: 1, id: 1 }, { unique: true });

const ClassificationGroupSchema = new Schema<ClassificationGroupMember>(
  { _id: String, database: String, classificationSchemeId: Number, groupId: Number, profileId: String, order: Number },
  { collection: 'classification_group_profiles', versionKey: false },
);
ClassificationGroupSchema.index({ database: 1, classificationSchemeId: 1, groupId: 1, order: 1 });

export interface TypingModels {
  databases: Model<TypingDatabase>;
  loci: Model<Locus>;
  alleles: Model<Allele>;
  schemes: Model<Scheme>;
  profiles: Model<Profile>;
  profilesByAlleles: Model<ProfileByAlleles>;
  isolates: Model<Isolate>;
  designations: Model<AlleleDesignation>;
  contigs: Model<Contig>;
  contigSequences: Model<ContigSequence>;
  history: Model<HistoryEntry>;
  projects: Model<Project>;
  users: Model<TypingUser>;
  classificationSchemes: Model<ClassificationScheme>;
  classificationGroups: Model<ClassificationGroupMember>;
}

export async function typingModels(connection: Connection): Promise<TypingModels> {
  const models: TypingModels = {
    databases: connection.model<TypingDatabase>('TypingDatabase', DatabaseSchema),
    loci: connection.model<Locus>('Locus', LocusSchema),
    alleles: connection.model<Allele>('Allele', AlleleSchema),
    schemes: connection.model<Scheme>('Scheme', SchemeSchema),
    profiles: connection.model<Profile>('Profile', ProfileSchema),
    profilesByAlleles: connection.model<ProfileByAlleles>('ProfileByAlleles', ProfileByAllelesSchema),
    isolates: connection.model<Isolate>('Isolate', IsolateSchema),
    designations: connection.model<AlleleDesignation>('AlleleDesignation', DesignationSchema),
    contigs: connection.model<Contig>('Contig', ContigSchema),
    contigSequences: connection.model<ContigSequence>('ContigSequence', ContigSequenceSchema),
    history: connection.model<HistoryEntry>('HistoryEntry', HistorySchema),
    projects: connection.model<Project>('Project', ProjectSchema),
    users: connection.model<TypingUser>('TypingUser', UserSchema),
    classificationSchemes: connection.model<ClassificationScheme>('ClassificationScheme', ClassificationSchemeSchema),
    classificationGroups: connection.model<ClassificationGroupMember>(
      'ClassificationGroupMember',
      ClassificationGroupSchema,
    ),
  };
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.init()));
  return models;
}

export const alleleKey = (database: string, locus: string, alleleId: string) => `${database}|${locus}|${alleleId}`;
export const profileKey = (database: string, schemeId: number, profileId: string) =>
  `${database}|${schemeId}|${profileId}`;
export const isolateKey = (database: string, id: number) => `${database}|${id}`;
export const designationKey = (database: string, isolateId: number, locus: string, alleleId: string) =>
  `${database}|${isolateId}|${locus}|${alleleId}`;
export const contigKey = (database: string, id: number) => `${database}|${id}`;
export const groupMemberKey = (database: string, classificationSchemeId: number, profileId: string) =>
  `${database}|${classificationSchemeId}|${profileId}`;
export const profileByAllelesKey = (database: string, schemeId: number, alleles: string[]) =>
  `${database}|${schemeId}|${alleles.join('\t')}`;
/**
 * The _id of the user an account's first submission registers in a database: one key per account and database, so
 * that calls racing to register the same account cannot both insert a row.
 */
export const accountUserKey = (database: string, account: string) => `${database}|account|${account.toLowerCase()}`;
