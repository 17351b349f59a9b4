import { Schema } from 'mongoose';

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

export const LocusSchema = new Schema<Locus>(
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

export const LOCUS = 'Locus';
