import { Schema } from 'mongoose';

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

export const AlleleDesignationSchema = new Schema<AlleleDesignation>(
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
AlleleDesignationSchema.index({ database: 1, isolateId: 1, locus: 1 });
AlleleDesignationSchema.index({ database: 1, locus: 1, alleleId: 1 });

export const ALLELE_DESIGNATION = 'AlleleDesignation';

export const designationKey = (database: string, isolateId: number, locus: string, alleleId: string) =>
  `${database}|${isolateId}|${locus}|${alleleId}`;
