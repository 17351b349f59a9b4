import { Schema } from 'mongoose';

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

export const AlleleSchema = new Schema<Allele>(
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

export const ALLELE = 'Allele';

/** Allele ids BIGSdb keeps for 'deleted', 'missing' and 'present': never listed, downloaded or matched. */
export const EXCLUDED_ALLELE_IDS = ['0', 'N', 'P'];

export const alleleKey = (database: string, locus: string, alleleId: string) => `${database}|${locus}|${alleleId}`;
