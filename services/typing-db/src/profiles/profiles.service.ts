import {
  type PageRequest,
  ServiceError,
  type ReplyOf,
  type TypingSubjects,
  type ProfileClassification,
} from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { ClassificationMemberships } from '../classification/classification-memberships';
import { linesInPieces, streamDownload } from '../common/downloads';
import { Catalog } from '../common/catalog';
import { dateFilter, RECORD_DATE_FILTERS } from '../common/filters';
import { Lookup } from '../common/lookup';
import { pageResult, pageWindow } from '../common/paging';
import { RecordSet } from '../common/record-set';
import { VersionedCache } from '../common/versioned-cache';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import type { Scheme } from '../schemes/schemes.schema';
import { ProfilesRepository } from './profiles.repository';
import type { Profile } from './profiles.schema';

/** BIGSdb's profile routes of seqdef databases (Schemes.pm, Profiles.pm). */
@Injectable()
export class ProfilesService {
  private readonly sets = new VersionedCache<RecordSet<Profile>>();

  constructor(
    private readonly lookup: Lookup,
    private readonly catalog: Catalog,
    private readonly profiles: ProfilesRepository,
    private readonly memberships: ClassificationMemberships,
  ) {}

  /** A scheme's profiles, held in memory per version of the scheme. */
  profileSet(database: string, scheme: Scheme): Promise<RecordSet<Profile>> {
    return this.sets.get(
      `${database}|${scheme.id}`,
      scheme.version,
      async () =>
        new RecordSet<Profile>(
          await this.profiles.ofScheme(database, scheme.id),
          (p) => p.profileId,
          (p) => p.order,
        ),
    );
  }

  /** GET /db/{db}/schemes/{id}/profiles: paged, in profile id order. */
  async listProfiles(baseUri: string, name: string, schemeId: string, page: PageRequest) {
    const db = await this.lookup.seqdef(name);
    const scheme = await this.lookup.schemeWithPrimaryKey(db, schemeId);
    const window = pageWindow(page);
    const dates = dateFilter(page.query, RECORD_DATE_FILTERS);
    const { total, ids, lastUpdated } = (await this.profileSet(name, scheme)).page(dates, window);
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const root = `${baseUri}/db/${name}/schemes/${scheme.id}/profiles`;
    const body: ReplyOf<typeof TypingSubjects.listProfiles>['body'] = {
      records: total,
      ...(lastUpdated ? { last_updated: lastUpdated } : {}),
      profiles: ids.map((id) => `${root}/${id}`),
      ...(paging ? { paging } : {}),
    };
    return { body, headers };
  }

  /** GET /db/{db}/schemes/{id}/profiles/{pid} (?allele_ids_only=1 lists {locus, allele_id} instead of URIs). */
  async getProfile(baseUri: string, name: string, schemeId: string, profileId: string, alleleIdsOnly: boolean) {
    const db = await this.lookup.seqdef(name);
    const asked = Date.now();
    let scheme = await this.lookup.schemeWithPrimaryKey(db, schemeId);
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    let profile = (await this.profileSet(name, scheme)).get(profileId);
    if (!profile) {
      // Added a moment ago by another process? Then a fresh catalog has a new version of the scheme.
      const id = scheme.id;
      const fresh = await this.catalog.newerVersion(asked, definitionsOf(db), scheme, (d) => d.schemes.get(id));
      if (fresh) profile = (await this.profileSet(name, (scheme = fresh))).get(profileId);
    }
    if (!profile) throw ServiceError.notFound(`Profile ${pk.name}-${profileId} does not exist.`);
    const alleles = scheme.loci.map((locus, i) =>
      alleleIdsOnly
        ? { locus, allele_id: profile.alleles[i] }
        : `${baseUri}/db/${name}/loci/${locus}/alleles/${profile.alleles[i]}`,
    );
    const body: ReplyOf<typeof TypingSubjects.getProfile> = {
      ...profile.fields,
      alleles,
      date_entered: profile.dateEntered,
      datestamp: profile.datestamp,
    };
    const groups = await this.classificationOf(baseUri, db, scheme, profile.profileId);
    if (Object.keys(groups).length) body.classification_schemes = groups;
    return body;
  }

  /** A profile's classification groups: {name: {href, group: {group, records, profiles}}}. */
  private async classificationOf(baseUri: string, db: TypingDatabase, scheme: Scheme, profileId: string) {
    const result: Record<string, ProfileClassification> = {};
    for (const cscheme of await this.memberships.of(db, scheme.id)) {
      const { groupOf, members } = await this.memberships.membership(db, cscheme);
      const group = groupOf.get(profileId);
      if (group === undefined) continue;
      const href = `${baseUri}/db/${db._id}/classification_schemes/${cscheme.id}`;
      result[cscheme.name] = {
        href,
        group: { group, records: members.get(group)!.length, profiles: `${href}/groups/${group}` },
      };
    }
    return result;
  }

  /**
   * GET /db/{db}/schemes/{id}/profiles_csv: `ST<TAB>loci…<TAB>other fields`, one profile a line, streamed from the
   * scheme's profiles held in memory.
   */
  async profilesCsv(name: string, schemeId: string) {
    const db = await this.lookup.seqdef(name);
    const scheme = await this.lookup.schemeWithPrimaryKey(db, schemeId);
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    const others = scheme.fields.filter((f) => !f.primaryKey).map((f) => f.name);
    const profiles = (await this.profileSet(name, scheme)).records();
    function* csv() {
      yield `${[pk.name, ...scheme.loci, ...others].join('\t')}\n`;
      for (const p of profiles)
        yield `${[p.profileId, ...p.alleles, ...others.map((f) => p.fields[f] ?? '')].join('\t')}\n`;
    }
    return streamDownload(linesInPieces(csv()));
  }
}
