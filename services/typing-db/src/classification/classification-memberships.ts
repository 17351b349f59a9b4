import { ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { SchemeValues } from '../allele-designations/scheme-values';
import { Catalog } from '../common/catalog';
import { VersionedCache } from '../common/versioned-cache';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import { IsolateCatalogue } from '../isolates/isolate-catalogue';
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
    const members = new Set((await this.membership(db, cscheme)).members.get(groupId) ?? []);
    const profiles = await this.schemeValues.isolateProfiles(db, scheme);
    const catalogue = await this.catalogue.of(db);
    return [...profiles]
      .filter(
        ([isolateId, ids]) => ids.some((id) => members.has(id)) && catalogue.get(isolateId)?.newVersion === undefined,
      )
      .map(([isolateId]) => isolateId)
      .sort((a, b) => a - b);
  }
}
