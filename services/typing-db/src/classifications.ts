import { ServiceError } from '@helixgate/contracts';
import { Lookup } from './lookup';
import type { ClassificationGroupMember, ClassificationScheme, Scheme, TypingDatabase, TypingModels } from './models';
import type { SchemeValues } from './scheme-values';
import { VersionedCache } from './versioned-cache';

/** Which group each profile is in, and each group's profiles in profile order. */
export interface Membership {
  groupOf: Map<string, number>;
  members: Map<number, string[]>;
}

/**
 * Classification schemes of a seqdef database, read by its own routes and by its isolates databases. A scheme's
 * whole membership is read once per version (classify changes it), so a profile record, a group page or an
 * isolate record never counts groups in the database.
 */
export class Classifications {
  private readonly memberships = new VersionedCache<Membership>();

  constructor(
    private readonly models: TypingModels,
    private readonly schemeValues: SchemeValues,
  ) {}

  /** The classification schemes of a scheme, in display order. */
  of(db: TypingDatabase, schemeId: number): Promise<ClassificationScheme[]> {
    return this.models.classificationSchemes
      .find({ database: Lookup.definitions(db), schemeId })
      .sort({ displayOrder: 1, name: 1 })
      .lean<ClassificationScheme[]>();
  }

  async ids(db: TypingDatabase): Promise<number[]> {
    return (
      await this.models.classificationSchemes
        .find({ database: Lookup.definitions(db) }, { id: 1 })
        .sort({ id: 1 })
        .lean<ClassificationScheme[]>()
    ).map((c) => c.id);
  }

  async find(db: TypingDatabase, id: string): Promise<ClassificationScheme> {
    if (!/^\d+$/.test(id) || id.length > 9)
      throw ServiceError.badRequest('Classification scheme id must be an integer.');
    const cscheme = await this.models.classificationSchemes
      .findOne({ database: Lookup.definitions(db), id: Number(id) })
      .lean<ClassificationScheme>();
    if (!cscheme) throw ServiceError.notFound(`Classification scheme ${Number(id)} does not exist.`);
    return cscheme;
  }

  membership(db: TypingDatabase, cscheme: ClassificationScheme): Promise<Membership> {
    const definitions = Lookup.definitions(db);
    return this.memberships.get(`${definitions}|${cscheme.id}`, cscheme.version, async () => {
      const rows = await this.models.classificationGroups
        .find({ database: definitions, classificationSchemeId: cscheme.id }, { profileId: 1, groupId: 1 })
        .sort({ order: 1, profileId: 1 })
        .lean<ClassificationGroupMember[]>();
      const membership: Membership = { groupOf: new Map(), members: new Map() };
      for (const row of rows) {
        membership.groupOf.set(row.profileId, row.groupId);
        const members = membership.members.get(row.groupId) ?? [];
        members.push(row.profileId);
        membership.members.set(row.groupId, members);
      }
      return membership;
    });
  }

  /** The current isolates (no newer version) whose profile is in a classification group, in id order. */
  async groupIsolates(db: TypingDatabase, cscheme: ClassificationScheme, groupId: number): Promise<number[]> {
    const scheme = await this.models.schemes
      .findOne({ database: Lookup.definitions(db), id: cscheme.schemeId })
      .lean<Scheme>();
    if (!scheme) return [];
    const members = new Set((await this.membership(db, cscheme)).members.get(groupId) ?? []);
    const profiles = await this.schemeValues.isolateProfiles(db, scheme);
    const candidates = [...profiles]
      .filter(([, ids]) => ids.some((id) => members.has(id)))
      .map(([isolateId]) => isolateId);
    const current = await this.models.isolates
      .find({ database: db._id, id: { $in: candidates }, newVersion: { $exists: false } }, { id: 1 })
      .sort({ id: 1 })
      .lean<Array<{ id: number }>>();
    return current.map((i) => i.id);
  }
}
