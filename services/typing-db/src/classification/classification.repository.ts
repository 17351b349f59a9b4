import { InjectModel } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { DatabasesRepository } from '../databases/databases.repository';
import type { Model } from 'mongoose';
import { idsOf, insertMissing } from '../common/collection-helpers';
import {
  CLASSIFICATION_GROUP_MEMBER,
  CLASSIFICATION_SCHEME,
  type ClassificationGroupMember,
  type ClassificationScheme,
} from './classification.schema';

/** classification_schemes, by database and id; classification_group_profiles: each scheme's group of each profile. */
@Injectable()
export class ClassificationRepository {
  constructor(
    @InjectModel(CLASSIFICATION_SCHEME) private readonly schemes: Model<ClassificationScheme>,
    @InjectModel(CLASSIFICATION_GROUP_MEMBER) private readonly members: Model<ClassificationGroupMember>,
    private readonly databases: DatabasesRepository,
  ) {}

  /** Every classification scheme of every database (the catalog). */
  every(): Promise<ClassificationScheme[]> {
    return this.schemes.find({}, { _id: 0 }).lean<ClassificationScheme[]>();
  }

  find(database: string, id: number): Promise<ClassificationScheme | null> {
    return this.schemes.findOne({ database, id }).lean<ClassificationScheme>();
  }

  /** Writes a classification scheme's definition, inserting it when missing. */
  async save(
    database: string,
    id: number,
    spec: Pick<ClassificationScheme, 'schemeId' | 'name' | 'description' | 'inclusionThreshold'>,
  ): Promise<void> {
    await this.schemes.updateOne(
      { database, id },
      { $set: { ...spec, relativeThreshold: false, displayOrder: id } },
      { upsert: true },
    );
    await this.databases.definitionsChanged(database);
  }

  /** Members were added: a new version makes every reader reload the membership. */
  async membersAdded(database: string, id: number): Promise<void> {
    await this.schemes.updateOne({ database, id }, { $set: { version: Date.now() } });
    await this.databases.definitionsChanged(database);
  }

  /** Every member's group, in profile order. */
  membersInOrder(
    database: string,
    classificationSchemeId: number,
  ): Promise<Array<Pick<ClassificationGroupMember, 'profileId' | 'groupId'>>> {
    return this.members
      .find({ database, classificationSchemeId }, { profileId: 1, groupId: 1 })
      .sort({ order: 1, profileId: 1 })
      .lean<ClassificationGroupMember[]>();
  }

  /** The groups already assigned, by profile id. */
  async assignedGroups(database: string, classificationSchemeId: number): Promise<Map<string, number>> {
    return new Map(
      (
        await this.members
          .find({ database, classificationSchemeId }, { profileId: 1, groupId: 1 })
          .lean<ClassificationGroupMember[]>()
      ).map((m) => [m.profileId, m.groupId]),
    );
  }

  /** Adds the members not there yet. */
  async addMissing(database: string, classificationSchemeId: number, rows: Iterable<ClassificationGroupMember>) {
    return insertMissing(this.members, await idsOf(this.members, { database, classificationSchemeId }), rows);
  }
}
