import { Schema } from 'mongoose';

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

export const ClassificationSchemeSchema = new Schema<ClassificationScheme>(
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

export const CLASSIFICATION_SCHEME = 'ClassificationScheme';

export interface ClassificationGroupMember {
  /** database|classification scheme id|profile id. */
  _id: string;
  database: string;
  classificationSchemeId: number;
  groupId: number;
  profileId: string;
  order: number;
}

export const ClassificationGroupMemberSchema = new Schema<ClassificationGroupMember>(
  { _id: String, database: String, classificationSchemeId: Number, groupId: Number, profileId: String, order: Number },
  { collection: 'classification_group_profiles', versionKey: false },
);
ClassificationGroupMemberSchema.index({ database: 1, classificationSchemeId: 1, groupId: 1, order: 1 });

export const CLASSIFICATION_GROUP_MEMBER = 'ClassificationGroupMember';

export const groupMemberKey = (database: string, classificationSchemeId: number, profileId: string) =>
  `${database}|${classificationSchemeId}|${profileId}`;
