import { Schema } from 'mongoose';

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

export const ContigSchema = new Schema<Contig>(
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

export const CONTIG = 'Contig';

export interface ContigSequence {
  /** The contig's _id. */
  _id: string;
  sequence: string;
}

export const ContigSequenceSchema = new Schema<ContigSequence>(
  { _id: String, sequence: String },
  { collection: 'sequence_bin_sequences', versionKey: false },
);

export const CONTIG_SEQUENCE = 'ContigSequence';

export const contigKey = (database: string, id: number) => `${database}|${id}`;
