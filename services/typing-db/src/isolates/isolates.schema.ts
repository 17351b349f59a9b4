import { Schema } from 'mongoose';

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

export const IsolateSchema = new Schema<Isolate>(
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

export const ISOLATE = 'Isolate';

/** One curation event on an isolate: the actions are BIGSdb's `field: 'old' -> 'new'` lines. */
export interface HistoryEntry {
  database: string;
  isolateId: number;
  curator: number;
  /** PostgreSQL timestamp text, as BIGSdb returns it: 2016-03-03 10:15:22.394718. */
  timestamp: string;
  actions: string[];
}

export const HistoryEntrySchema = new Schema<HistoryEntry>(
  { database: String, isolateId: Number, curator: Number, timestamp: String, actions: [String] },
  { collection: 'history', versionKey: false },
);
HistoryEntrySchema.index({ database: 1, isolateId: 1, timestamp: 1 });

export const HISTORY_ENTRY = 'HistoryEntry';

/** Where the fields every isolates database has (BIGSdb's system fields) live on an Isolate; the others are in provenance. */
export const ISOLATE_SYSTEM_FIELDS = {
  id: 'id',
  sender: 'sender',
  curator: 'curator',
  date_entered: 'dateEntered',
  datestamp: 'datestamp',
} as const satisfies Record<string, keyof Isolate>;

export const isolateKey = (database: string, id: number) => `${database}|${id}`;

/** An isolate's sequence bin in figures, worked out when its contigs are stored. */
export interface SequenceBinFigures {
  contigs: number;
  total: number;
  N50: number;
  L50: number;
}

/**
 * What the isolate routes read about one isolate, held in memory (IsolateCatalogue): its record, its designations
 * ([locus, allele id, status]), its sequence bin figures and whether it has curation history.
 */
export interface CatalogueEntry extends Omit<Isolate, '_id' | 'database'> {
  designations: Array<[locus: string, alleleId: string, status: string]>;
  sequenceBin?: SequenceBinFigures;
  history?: boolean;
}

/**
 * A block of an isolates database's catalogue as its writer last left it, entries as JSON text: the MongoDB-compatible
 * server used in development reads a few large strings ~30× faster than the same data as documents.
 */
export interface IsolateCatalogueBlock {
  /** database|version|block number. */
  _id: string;
  database: string;
  version: number;
  entries: string;
}

export const IsolateCatalogueBlockSchema = new Schema<IsolateCatalogueBlock>(
  { _id: String, database: String, version: Number, entries: String },
  { collection: 'isolate_catalogue', versionKey: false },
);

export const ISOLATE_CATALOGUE_BLOCK = 'IsolateCatalogueBlock';
