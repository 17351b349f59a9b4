import { ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { SchemeValues } from '../allele-designations/scheme-values';
import { Catalog } from '../common/catalog';
import { VersionedCache } from '../common/versioned-cache';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import { breathe, IsolateCatalogue } from '../isolates/isolate-catalogue';
import { ClassificationRepository } from './classification.repository';
import type { ClassificationScheme } from './classification.schema';

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
@Injectable()
export class ClassificationMemberships {
  private readonly memberships = new VersionedCache<Membership>();
  /** Each group's current isolates, per isolates database and classification scheme. */
  private readonly groupIsolatesIndex = new VersionedCache<Map<number, number[]>>();

  constructor(
    private readonly classification: ClassificationRepository,
    private readonly catalog: Catalog,
    private readonly catalogue: IsolateCatalogue,
    private readonly schemeValues: SchemeValues,
  ) {}

  /** The classification schemes of a scheme, in display order. */
  async of(db: TypingDatabase, schemeId: number): Promise<ClassificationScheme[]> {
    const { classificationInOrder } = await this.catalog.definitions(definitionsOf(db));
    return classificationInOrder
      .filter((c) => c.schemeId === schemeId)
      .sort((a, b) => a.displayOrder - b.displayOrder || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async ids(db: TypingDatabase): Promise<number[]> {
    return (await this.catalog.definitions(definitionsOf(db))).classificationInOrder.map((c) => c.id);
  }

  async find(db: TypingDatabase, id: string): Promise<ClassificationScheme> {
    if (!/^\d+$/.test(id) || id.length > 9)
      throw ServiceError.badRequest('Classification scheme id must be an integer.');
    const cscheme = await this.catalog.classificationScheme(definitionsOf(db), Number(id));
    if (!cscheme) throw ServiceError.notFound(`Classification scheme ${Number(id)} does not exist.`);
    return cscheme;
  }

  membership(db: TypingDatabase, cscheme: ClassificationScheme): Promise<Membership> {
    const definitions = definitionsOf(db);
    return this.memberships.get(`${definitions}|${cscheme.id}`, cscheme.version, async () => {
      const rows = await this.classification.membersInOrder(definitions, cscheme.id);
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
    const scheme = await this.catalog.scheme(definitionsOf(db), cscheme.schemeId);
    if (!scheme) return [];
    const membership = await this.membership(db, cscheme);
    const catalogue = await this.catalogue.of(db);
    // Worked out for every group at once, while the isolates, the profiles and the classification stay as they are.
    const groups = await this.groupIsolatesIndex.get(
      `${db._id}|${cscheme.id}|${cscheme.version ?? 0}|${scheme.version ?? 0}`,
      catalogue.version,
      async () => {
        const index = new Map<number, number[]>();
        let seen = 0;
        for (const [isolateId, profileIds] of await this.schemeValues.isolateProfiles(db, scheme)) {
          if (++seen % 5000 === 0) await breathe();
          if (catalogue.get(isolateId)?.newVersion !== undefined) continue;
          const groupIds = new Set(profileIds.map((id) => membership.groupOf.get(id)));
          for (const group of groupIds) {
            if (group === undefined) continue;
            const ids = index.get(group);
            if (ids) ids.push(isolateId);
            else index.set(group, [isolateId]);
          }
        }
        for (const ids of index.values()) ids.sort((a, b) => a - b);
        return index;
      },
    );
    return groups.get(groupId) ?? [];
  }
}
