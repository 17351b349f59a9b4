import {
  type PageRequest,
  type ProfileClassification,
  type ReplyOf,
  type ResourceGroup,
  ServiceError,
  type TypingSubjects,
} from '@helixgate/contracts';
import type { TransferStore } from '@helixgate/platform';
import { ALLELE_DATE_FILTERS, dateFilter, RECORD_DATE_FILTERS } from './filters';
import { defined, Links, Lookup } from './lookup';
import type { Model } from 'mongoose';
import type { Classifications } from './classifications';
import type { Allele, Locus, Profile, Scheme, TypingDatabase, TypingModels, TypingUser } from './models';
import { alleleKey, EXCLUDED_ALLELE_IDS, profileKey } from './models';
import { type PageWindow, pageResult, pageSlice, pageWindow } from './paging';
import { type OrderedRecords, orderedRecords, VersionedCache } from './versioned-cache';

/** BIGSdb's read routes over the typing database: shapes and texts of lib/BIGSdb/REST/Routes/*.pm. */
export class TypingService {
  private readonly lookup: Lookup;
  private readonly ordered = new VersionedCache<OrderedRecords>();

  /** A locus's alleles in order (0, N and P left out), from the in-memory index. */
  private orderedAlleles(database: string, locus: Locus): Promise<OrderedRecords> {
    return this.ordered.get(`alleles|${database}|${locus.id}`, locus.version, async () =>
      orderedRecords(
        (
          await this.models.alleles
            .find(
              { database, locus: locus.id, alleleId: { $nin: EXCLUDED_ALLELE_IDS } },
              { alleleId: 1, dateEntered: 1, datestamp: 1 },
            )
            .sort({ order: 1, alleleId: 1 })
            .lean<Allele[]>()
        ).map((a) => ({ id: a.alleleId, dateEntered: a.dateEntered, datestamp: a.datestamp })),
      ),
    );
  }

  /** A scheme's profiles in order, from the in-memory index. */
  private orderedProfiles(database: string, scheme: Scheme): Promise<OrderedRecords> {
    return this.ordered.get(`profiles|${database}|${scheme.id}`, scheme.version, async () =>
      orderedRecords(
        (
          await this.models.profiles
            .find({ database, schemeId: scheme.id }, { profileId: 1, dateEntered: 1, datestamp: 1 })
            .sort({ order: 1, profileId: 1 })
            .lean<Profile[]>()
        ).map((p) => ({ id: p.profileId, dateEntered: p.dateEntered, datestamp: p.datestamp })),
      ),
    );
  }

  constructor(
    private readonly models: TypingModels,
    private readonly transfers: TransferStore,
    private readonly classifications: Classifications,
  ) {
    this.lookup = new Lookup(models);
  }

  /** Downloads go to the object store as they are read: no FASTA or CSV is ever whole in memory. */
  private static readonly DOWNLOAD_LIMIT = 2 * 1024 ** 3;

  /** GET / and /db: resource groups, ordered by name, each with its databases. */
  async resources(baseUri: string) {
    const databases = await this.models.databases.find().sort({ _id: 1 }).lean<TypingDatabase[]>();
    const groups = new Map<string, ResourceGroup>();
    for (const db of databases) {
      const group = groups.get(db.group.name) ?? {
        name: db.group.name,
        description: db.group.description,
        databases: [],
      };
      group.databases.push({ name: db._id, description: db.description, href: `${baseUri}/db/${db._id}` });
      groups.set(db.group.name, group);
    }
    return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** GET /db/{db}: the resources it offers (seqdef: sequences; isolates: isolates, fields, genomes, projects). */
  async database(baseUri: string, name: string) {
    const db = await this.lookup.database(name);
    const definitions = Lookup.definitions(db);
    const root = `${baseUri}/db/${name}`;
    const body: ReplyOf<typeof TypingSubjects.getDatabase> = { curators: `${root}/curators` };
    if (await this.models.loci.exists({ database: definitions })) body.loci = `${root}/loci`;
    if (await this.models.schemes.exists({ database: definitions })) body.schemes = `${root}/schemes`;
    if (db.type === 'seqdef') body.sequences = `${root}/sequences`;
    else {
      Object.assign(body, { isolates: `${root}/isolates`, fields: `${root}/fields`, genomes: `${root}/genomes` });
      if (await this.models.projects.exists({ database: name })) body.projects = `${root}/projects`;
    }
    return body;
  }

  /** The loci with alleles added or updated in the filter's dates (alleles_added_after…; seqdef databases only). */
  private async lociWithAlleles(db: TypingDatabase, page: PageRequest): Promise<string[] | undefined> {
    const dates = dateFilter(page.query, ALLELE_DATE_FILTERS);
    if (db.type !== 'seqdef' || !Object.keys(dates).length) return undefined;
    return this.models.alleles.distinct('locus', { database: db._id, ...dates });
  }

  /** GET /db/{db}/loci: paged, ordered by locus name. */
  async loci(baseUri: string, name: string, page: PageRequest) {
    const db = await this.lookup.database(name);
    const window = pageWindow(page);
    const withAlleles = await this.lociWithAlleles(db, page);
    const filter = { database: Lookup.definitions(db), ...(withAlleles ? { id: { $in: withAlleles } } : {}) };
    const total = await this.models.loci.countDocuments(filter);
    const query = this.models.loci.find(filter, { id: 1 }).sort({ id: 1 }).skip(window.offset);
    const loci = await (window.limit === undefined ? query : query.limit(window.limit)).lean<
      Array<Pick<Locus, 'id'>>
    >();
    const { paging, headers } = pageResult(window, total, page, baseUri);
    return {
      body: {
        records: total,
        loci: loci.map((l) => `${baseUri}/db/${name}/loci/${l.id}`),
        ...(paging ? { paging } : {}),
      },
      headers,
    };
  }

  /** GET /db/{db}/loci/{locus}. */
  async locus(baseUri: string, name: string, locusName: string) {
    const db = await this.lookup.database(name);
    const locus = await this.lookup.locus(db, locusName);
    const root = `${baseUri}/db/${name}`;
    const schemes = await this.models.schemes
      .find({ database: Lookup.definitions(db), loci: locus.id })
      .sort({ id: 1 })
      .lean<Scheme[]>();
    const body: ReplyOf<typeof TypingSubjects.getLocus> = {
      id: locus.id,
      data_type: locus.dataType,
      allele_id_format: locus.alleleIdFormat,
      length_varies: locus.lengthVaries,
      coding_sequence: true,
    };
    if (!locus.lengthVaries && locus.minLength !== undefined) body.length = locus.minLength;
    if (schemes.length)
      body.schemes = schemes.map((s) => ({ scheme: `${root}/schemes/${s.id}`, description: s.description }));
    if (db.type === 'seqdef') {
      if (locus.lengthVaries) Object.assign(body, { min_length: locus.minLength, max_length: locus.maxLength });
      body.alleles = `${root}/loci/${locus.id}/alleles`;
      body.alleles_fasta = `${root}/loci/${locus.id}/alleles_fasta`;
    }
    return body;
  }

  /** GET /db/{db}/loci/{locus}/alleles: paged, integer ids in numeric order, 0/N/P left out. */
  async alleles(baseUri: string, name: string, locusName: string, page: PageRequest) {
    const db = await this.lookup.seqdef(name);
    const locus = await this.lookup.locus(db, locusName);
    const dates = dateFilter(page.query, RECORD_DATE_FILTERS);
    const window = pageWindow(page);
    const filter = { database: name, locus: locus.id, alleleId: { $nin: EXCLUDED_ALLELE_IDS }, ...dates };
    const { total, ids, lastUpdated } = Object.keys(dates).length
      ? await this.filteredPage(this.models.alleles as unknown as Model<Allele>, filter, 'alleleId', window)
      : await this.orderedAlleles(name, locus).then((all) => ({
          total: all.ids.length,
          ids: pageSlice(all.ids, window),
          lastUpdated: all.lastUpdated,
        }));
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const root = `${baseUri}/db/${name}/loci/${locus.id}/alleles`;
    const body: ReplyOf<typeof TypingSubjects.listAlleles>['body'] = {
      records: total,
      alleles: ids.map((id) => `${root}/${id}`),
    };
    if (lastUpdated) body.last_updated = lastUpdated;
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** A page of a date-filtered list, straight from the database. */
  private async filteredPage<T extends { order: number; datestamp: string }>(
    model: Model<T>,
    filter: object,
    idField: 'alleleId' | 'profileId',
    window: PageWindow,
  ) {
    const total = await model.countDocuments(filter);
    const query = model
      .find(filter, { [idField]: 1 })
      .sort({ order: 1, [idField]: 1 })
      .skip(window.offset);
    const rows = (await (window.limit === undefined ? query : query.limit(window.limit)).lean()) as unknown as Array<
      Record<string, string>
    >;
    const latest = (await model.findOne(filter, { datestamp: 1 }).sort({ datestamp: -1 }).lean()) as {
      datestamp?: string;
    } | null;
    return { total, ids: rows.map((r) => r[idField]), lastUpdated: latest?.datestamp };
  }

  /** GET /db/{db}/loci/{locus}/alleles/{id}. */
  async allele(baseUri: string, name: string, locusName: string, alleleId: string) {
    const db = await this.lookup.seqdef(name);
    const locus = await this.lookup.locus(db, locusName);
    const allele = await this.models.alleles.findById(alleleKey(name, locus.id, alleleId)).lean<Allele>();
    if (!allele) throw ServiceError.notFound(`Allele ${locus.id}-${alleleId} does not exist.`);
    return {
      locus: `${baseUri}/db/${name}/loci/${locus.id}`,
      allele_id: allele.alleleId,
      sequence: allele.sequence,
      status: allele.status,
      type_allele: false,
      date_entered: allele.dateEntered,
      datestamp: allele.datestamp,
    };
  }

  /** GET /db/{db}/loci/{locus}/alleles_fasta: `>{locus}_{id}` and the unwrapped sequence, in id order. */
  async allelesFasta(name: string, locusName: string) {
    const db = await this.lookup.seqdef(name);
    const locus = await this.lookup.locus(db, locusName);
    const filter = { database: name, locus: locus.id, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    if (!(await this.models.alleles.exists(filter)))
      throw ServiceError.notFound(`No alleles for locus ${locus.id} are defined.`);
    const cursor = this.models.alleles
      .find(filter, { alleleId: 1, sequence: 1 })
      .sort({ order: 1, alleleId: 1 })
      .lean<Allele>()
      .cursor();
    async function* fasta() {
      for await (const allele of cursor) yield `>${locus.id}_${allele.alleleId}\n${allele.sequence}\n`;
    }
    return this.transfers.put(fasta(), TypingService.DOWNLOAD_LIMIT, 'The download is too large.');
  }

  /** GET /db/{db}/sequences: how many alleles are defined, and when last changed. */
  async sequences(baseUri: string, name: string) {
    await this.lookup.seqdef(name);
    const filter = { database: name, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    const latest = await this.models.alleles
      .findOne(filter, { datestamp: 1 })
      .sort({ datestamp: -1 })
      .lean<Pick<Allele, 'datestamp'>>();
    const body: ReplyOf<typeof TypingSubjects.getSequences> = {
      loci: `${baseUri}/db/${name}/loci`,
      records: await this.models.alleles.countDocuments(filter),
    };
    if (latest) body.last_updated = latest.datestamp;
    return body;
  }

  /** Links to the database's curators and admins (user id > 0), in id order. */
  private async curatorLinks(baseUri: string, name: string): Promise<string[]> {
    const users = await this.models.users
      .find({ database: name, status: { $in: ['curator', 'admin'] }, id: { $gt: 0 } }, { id: 1 })
      .sort({ id: 1 })
      .lean<TypingUser[]>();
    const links = new Links(baseUri, name);
    return users.map((u) => links.user(u.id)!);
  }

  /** GET /db/{db}/curators. */
  async curators(baseUri: string, name: string) {
    await this.lookup.database(name);
    const curators = await this.curatorLinks(baseUri, name);
    return { records: curators.length, curators };
  }

  /** GET /db/{db}/users/{id}: the e-mail only for curators and admins (BIGSdb with privacy on). */
  async user(name: string, userId: string) {
    const db = await this.lookup.database(name);
    const user = await this.lookup.user(db, userId);
    return defined({
      id: user.id,
      first_name: user.firstName,
      surname: user.surname,
      affiliation: user.affiliation,
      email: user.status === 'user' || user.status === 'submitter' ? undefined : user.email,
    });
  }

  /** GET /db/{db}/schemes/{id}/fields/{field}. */
  async schemeField(name: string, schemeId: string, fieldName: string) {
    const db = await this.lookup.database(name);
    const scheme = await this.lookup.scheme(db, schemeId);
    const field = scheme.fields.find((f) => f.name === fieldName);
    if (!field) throw ServiceError.notFound(`Scheme field ${fieldName} does not exist.`);
    return { field: field.name, type: field.type, primary_key: field.primaryKey };
  }

  /** GET /db/{db}/schemes (?with_pk=1: only schemes with a primary key). */
  async schemes(baseUri: string, name: string, withPk: boolean) {
    const db = await this.lookup.database(name);
    const schemes = (
      await this.models.schemes
        .find({ database: Lookup.definitions(db) })
        .sort({ id: 1 })
        .lean<Scheme[]>()
    ).filter((s) => !withPk || s.fields.some((f) => f.primaryKey));
    return {
      records: schemes.length,
      schemes: schemes.map((s) => ({ scheme: `${baseUri}/db/${name}/schemes/${s.id}`, description: s.description })),
    };
  }

  /** GET /db/{db}/schemes/{id}. */
  async scheme(baseUri: string, name: string, schemeId: string) {
    const db = await this.lookup.database(name);
    const scheme = await this.lookup.scheme(db, schemeId);
    const root = `${baseUri}/db/${name}/schemes/${scheme.id}`;
    const pk = scheme.fields.find((f) => f.primaryKey);
    const body: ReplyOf<typeof TypingSubjects.getScheme> = {
      id: scheme.id,
      description: scheme.description,
      has_primary_key_field: Boolean(pk),
      fields: scheme.fields.map((f) => `${root}/fields/${f.name}`),
      locus_count: scheme.loci.length,
      loci: scheme.loci.map((l) => `${baseUri}/db/${name}/loci/${l}`),
      allow_missing_loci: false,
      allow_presence: false,
      display_order: scheme.id,
    };
    if (pk) body.primary_key_field = `${root}/fields/${pk.name}`;
    if (pk && db.type === 'seqdef') {
      const profiles = await this.orderedProfiles(name, scheme);
      Object.assign(body, {
        records: profiles.ids.length,
        last_added: profiles.lastAdded ?? null,
        last_updated: profiles.lastUpdated ?? null,
        profiles: `${root}/profiles`,
        profiles_csv: `${root}/profiles_csv`,
        curators: await this.curatorLinks(baseUri, name),
      });
    }
    const cschemes = await this.classifications.of(db, scheme.id);
    if (cschemes.length)
      body.classification_schemes = cschemes.map((c) => ({
        href: `${baseUri}/db/${name}/classification_schemes/${c.id}`,
        name: c.name,
      }));
    return body;
  }

  /** GET /db/{db}/schemes/{id}/loci: in scheme order, with the alleles_* date filters on seqdef databases. */
  async schemeLoci(baseUri: string, name: string, schemeId: string, page: PageRequest) {
    const db = await this.lookup.database(name);
    const scheme = await this.lookup.scheme(db, schemeId);
    const withAlleles = await this.lociWithAlleles(db, page);
    const loci = withAlleles ? scheme.loci.filter((l) => withAlleles.includes(l)) : scheme.loci;
    return { records: loci.length, loci: loci.map((l) => `${baseUri}/db/${name}/loci/${l}`) };
  }

  /** GET /db/{db}/schemes/{id}/profiles: paged, in profile id order. */
  async profiles(baseUri: string, name: string, schemeId: string, page: PageRequest) {
    const db = await this.lookup.seqdef(name);
    const scheme = await this.lookup.schemeWithPrimaryKey(db, schemeId);
    const window = pageWindow(page);
    const dates = dateFilter(page.query, RECORD_DATE_FILTERS);
    const { total, ids, lastUpdated } = Object.keys(dates).length
      ? await this.filteredPage(
          this.models.profiles as unknown as Model<Profile>,
          { database: name, schemeId: scheme.id, ...dates },
          'profileId',
          window,
        )
      : await this.orderedProfiles(name, scheme).then((all) => ({
          total: all.ids.length,
          ids: pageSlice(all.ids, window),
          lastUpdated: all.lastUpdated,
        }));
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
  async profile(baseUri: string, name: string, schemeId: string, profileId: string, alleleIdsOnly: boolean) {
    const db = await this.lookup.seqdef(name);
    const scheme = await this.lookup.schemeWithPrimaryKey(db, schemeId);
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    const profile = await this.models.profiles.findById(profileKey(name, scheme.id, profileId)).lean<Profile>();
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
    for (const cscheme of await this.classifications.of(db, scheme.id)) {
      const { groupOf, members } = await this.classifications.membership(db, cscheme);
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

  /** GET /db/{db}/schemes/{id}/profiles_csv: `ST<TAB>loci…<TAB>other fields`, one profile a line. */
  async profilesCsv(name: string, schemeId: string) {
    const db = await this.lookup.seqdef(name);
    const scheme = await this.lookup.schemeWithPrimaryKey(db, schemeId);
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    const others = scheme.fields.filter((f) => !f.primaryKey).map((f) => f.name);
    const cursor = this.models.profiles
      .find({ database: name, schemeId: scheme.id })
      .sort({ order: 1, profileId: 1 })
      .lean<Profile>()
      .cursor();
    async function* csv() {
      yield `${[pk.name, ...scheme.loci, ...others].join('\t')}\n`;
      for await (const p of cursor)
        yield `${[p.profileId, ...p.alleles, ...others.map((f) => p.fields[f] ?? '')].join('\t')}\n`;
    }
    return this.transfers.put(csv(), TypingService.DOWNLOAD_LIMIT, 'The download is too large.');
  }

  /** GET /db/{db}/classification_schemes: isolates databases list their seqdef's. */
  async classificationSchemes(baseUri: string, name: string) {
    const ids = await this.classifications.ids(await this.lookup.database(name));
    return {
      records: ids.length,
      classification_schemes: ids.map((id) => `${baseUri}/db/${name}/classification_schemes/${id}`),
    };
  }

  /** GET /db/{db}/classification_schemes/{id}. */
  async classificationScheme(baseUri: string, name: string, id: string) {
    const db = await this.lookup.database(name);
    const cscheme = await this.classifications.find(db, id);
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
  async classificationGroups(baseUri: string, name: string, id: string, page: PageRequest) {
    const db = await this.lookup.seqdef(name);
    const cscheme = await this.classifications.find(db, id);
    const groups = [...(await this.classifications.membership(db, cscheme)).members.keys()].sort((a, b) => a - b);
    const window = pageWindow(page);
    const { paging, headers } = pageResult(window, groups.length, page, baseUri);
    const root = `${baseUri}/db/${name}/classification_schemes/${cscheme.id}/groups`;
    return {
      body: {
        records: groups.length,
        groups: pageSlice(groups, window).map((g) => `${root}/${g}`),
        ...(paging ? { paging } : {}),
      },
      headers,
    };
  }

  /** GET /db/{db}/classification_schemes/{id}/groups/{group}: its profiles (seqdef) or current isolates (isolates). */
  async classificationGroup(baseUri: string, name: string, id: string, groupId: string, page: PageRequest) {
    const db = await this.lookup.database(name);
    const cscheme = await this.classifications.find(db, id);
    if (!/^\d+$/.test(groupId) || groupId.length > 9) throw ServiceError.badRequest('Group id must be an integer.');
    const window = pageWindow(page);
    if (db.type === 'seqdef') {
      const profiles = (await this.classifications.membership(db, cscheme)).members.get(Number(groupId));
      if (!profiles) throw ServiceError.notFound(`Group ${Number(groupId)} does not exist.`);
      const { paging, headers } = pageResult(window, profiles.length, page, baseUri);
      const root = `${baseUri}/db/${name}/schemes/${cscheme.schemeId}/profiles`;
      return {
        body: {
          records: profiles.length,
          profiles: pageSlice(profiles, window).map((p) => `${root}/${p}`),
          ...(paging ? { paging } : {}),
        },
        headers,
      };
    }
    const ids = await this.classifications.groupIsolates(db, cscheme, Number(groupId));
    const { paging, headers } = pageResult(window, ids.length, page, baseUri);
    return {
      body: {
        records: ids.length,
        isolates: pageSlice(ids, window).map((i) => `${baseUri}/db/${name}/isolates/${i}`),
        ...(paging ? { paging } : {}),
      },
      headers,
    };
  }
}
