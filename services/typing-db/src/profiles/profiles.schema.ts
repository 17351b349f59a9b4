import { Schema } from 'mongoose';

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

export const ProfileSchema = new Schema<Profile>(
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

export const PROFILE = 'Profile';

/** Profiles by their allele ids: finding a sequence type from designations is one _id read. */
export interface ProfileByAlleles {
  /** database|scheme id|allele ids joined with tabs, in the order of the scheme's loci. */
  _id: string;
  profileId: string;
}

export const ProfileByAllelesSchema = new Schema<ProfileByAlleles>(
  { _id: String, profileId: String },
  { collection: 'profiles_by_alleles', versionKey: false },
);

export const PROFILE_BY_ALLELES = 'ProfileByAlleles';

export const profileKey = (database: string, schemeId: number, profileId: string) =>
  `${database}|${schemeId}|${profileId}`;
export const profileByAllelesKey = (database: string, schemeId: number, alleles: string[]) =>
  `${database}|${schemeId}|${alleles.join('\t')}`;
