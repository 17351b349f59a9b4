import { type PageRequest, ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { defined } from '../common/links';
import { Lookup } from '../common/lookup';
import { pageResult, pageSlice, pageWindow } from '../common/paging';
import { ClassificationMemberships } from './classification-memberships';

/** A page of links over a list already in order, as BIGSdb's classification group routes give them. */
function linkPage<T, K extends 'groups' | 'profiles' | 'isolates'>(
  key: K,
  rows: T[],
  link: (row: T) => string,
  page: PageRequest,
  baseUri: string,
) {
  const window = pageWindow(page);
  const { paging, headers } = pageResult(window, rows.length, page, baseUri);
  const links = { [key]: pageSlice(rows, window).map(link) } as Record<K, string[]>;
  return { body: { records: rows.length, ...links, ...(paging ? { paging } : {}) }, headers };
}

/** BIGSdb's classification scheme routes (ClassificationSchemes.pm). */
@Injectable()
export class ClassificationService {
  constructor(
    private readonly lookup: Lookup,
    private readonly memberships: ClassificationMemberships,
  ) {}

  /** GET /db/{db}/classification_schemes: isolates databases list their seqdef's. */
  async listClassificationSchemes(baseUri: string, name: string) {
    const ids = await this.memberships.ids(await this.lookup.database(name));
    return {
      records: ids.length,
      classification_schemes: ids.map((id) => `${baseUri}/db/${name}/classification_schemes/${id}`),
    };
  }

  /** GET /db/{db}/classification_schemes/{id}. */
  async getClassificationScheme(baseUri: string, name: string, id: string) {
    const db = await this.lookup.database(name);
    const cscheme = await this.memberships.find(db, id);
    const root = `${baseUri}/db/${name}`;
    return defined({
      id: cscheme.id,
      scheme: `${root}/schemes/${cscheme.schemeId}`,
      name: cscheme.name,
      description: cscheme.description || undefined,
      inclusion_threshold: cscheme.inclusionThreshold,
      relative_threshold: cscheme.relativeThreshold,
      groups: db.type === 'seqdef' ? `${root}/classification_schemes/${cscheme.id}/groups` : undefined,
    });
  }

  /** GET /db/{db}/classification_schemes/{id}/groups (seqdef): paged group links, in group order. */
  async listClassificationGroups(baseUri: string, name: string, id: string, page: PageRequest) {
    const db = await this.lookup.seqdef(name);
    const cscheme = await this.memberships.find(db, id);
    const groups = [...(await this.memberships.membership(db, cscheme)).members.keys()].sort((a, b) => a - b);
    const root = `${baseUri}/db/${name}/classification_schemes/${cscheme.id}/groups`;
    return linkPage('groups', groups, (g) => `${root}/${g}`, page, baseUri);
  }

  /** GET /db/{db}/classification_schemes/{id}/groups/{group}: its profiles (seqdef) or current isolates (isolates). */
  async getClassificationGroup(baseUri: string, name: string, id: string, groupId: string, page: PageRequest) {
    const db = await this.lookup.database(name);
    const cscheme = await this.memberships.find(db, id);
    if (!/^\d+$/.test(groupId) || groupId.length > 9) throw ServiceError.badRequest('Group id must be an integer.');
    if (db.type === 'seqdef') {
      const profiles = (await this.memberships.membership(db, cscheme)).members.get(Number(groupId));
      if (!profiles) throw ServiceError.notFound(`Group ${Number(groupId)} does not exist.`);
      const root = `${baseUri}/db/${name}/schemes/${cscheme.schemeId}/profiles`;
      return linkPage('profiles', profiles, (p) => `${root}/${p}`, page, baseUri);
    }
    const ids = await this.memberships.groupIsolates(db, cscheme, Number(groupId));
    return linkPage('isolates', ids, (i) => `${baseUri}/db/${name}/isolates/${i}`, page, baseUri);
  }
}
