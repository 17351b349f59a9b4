import { type PageRequest, ServiceError } from '@helixgate/contracts';
import type { TransferStore } from '@helixgate/platform';
import type { Allele, Locus, Profile, Scheme, TypingDatabase, TypingModels } from './models';
import { alleleKey, profileKey } from './models';
import { pageResult, pageWindow } from './paging';

const EXCLUDED_ALLELE_IDS = ['0', 'N', 'P'];

/** BIGSdb's read routes over the typing database: shapes and texts of lib/BIGSdb/REST/Routes/*.pm. */
export class TypingService {
  constructor(
    private readonly models: TypingModels,
    private readonly transfers: TransferStore,
  ) {}

  /** Downloads go to the object store as they are read: no FASTA or CSV is ever whole in memory. */
  private static readonly DOWNLOAD_LIMIT = 2 * 1024 ** 3;

  /** GET / and /db: resource groups, ordered by name, each with its databases. */
  async resources(baseUri: string) {
    const databases = await this.models.databases.find().sort({ _id: 1 }).lean<TypingDatabase[]>();
    const groups = new Map<string, { name: string; description: string; databases: Array<Record<string, string>> }>();
    for (const db of databases) {
      const group = groups.get(db.group.name) ?? { name: db.group.name, description: db.group.description, databases: [] };
      group.databases.push({ name: db._id, description: db.description, href: `${baseUri}/db/${db._id}` });
      groups.set(db.group.name, group);
    }
    return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** GET /db/{db}: the resources it offers (seqdef: loci, schemes, sequences, curators). */
  async database(baseUri: string, name: string) {
    const db = await this.find(name);
    const root = `${baseUri}/db/${name}`;
    const body: Record<string, unknown> = { curators: `${root}/curators` };
    if (await this.models.loci.exists({ database: name })) body.loci = `${root}/loci`;
    if (await this.models.schemes.exists({ database: name })) body.schemes = `${root}/schemes`;
    if (db.type === 'seqdef') body.sequences = `${root}/sequences`;
    return body;
  }

  /** GET /db/{db}/loci: paged, ordered by locus name. */
  async loci(baseUri: string, name: string, page: PageRequest) {
    await this.find(name);
    const window = pageWindow(page);
    const total = await this.models.loci.countDocuments({ database: name });
    const query = this.models.loci.find({ database: name }, { id: 1 }).sort({ id: 1 }).skip(window.offset);
    const loci = await (window.limit === undefined ? query : query.limit(window.limit)).lean<Array<Pick<Locus, 'id'>>>();
    const { paging, headers } = pageResult(window, total, page, baseUri);
    return { body: { records: total, loci: loci.map((l) => `${baseUri}/db/${name}/loci/${l.id}`), ...(paging ? { paging } : {}) }, headers };
  }

  /** GET /db/{db}/loci/{locus}. */
  async locus(baseUri: string, name: string, locusName: string) {
    const db = await this.find(name);
    const locus = await this.findLocus(name, locusName);
    const root = `${baseUri}/db/${name}`;
    const schemes = await this.models.schemes.find({ database: name, loci: locus.id }).sort({ id: 1 }).lean<Scheme[]>();
    const body: Record<string, unknown> = {
      id: locus.id,
      data_type: locus.dataType,
      allele_id_format: locus.alleleIdFormat,
      length_varies: locus.lengthVaries,
      coding_sequence: true,
    };
    if (!locus.lengthVaries && locus.minLength !== undefined) body.length = locus.minLength;
    if (schemes.length) body.schemes = schemes.map((s) => ({ scheme: `${root}/schemes/${s.id}`, description: s.description }));
    if (db.type === 'seqdef') {
      if (locus.lengthVaries) Object.assign(body, { min_length: locus.minLength, max_length: locus.maxLength });
      body.alleles = `${root}/loci/${locus.id}/alleles`;
      body.alleles_fasta = `${root}/loci/${locus.id}/alleles_fasta`;
    }
    return body;
  }

  /** GET /db/{db}/loci/{locus}/alleles: paged, integer ids in numeric order, 0/N/P left out. */
  async alleles(baseUri: string, name: string, locusName: string, page: PageRequest) {
    await this.seqdef(name);
    const locus = await this.findLocus(name, locusName);
    const filter = { database: name, locus: locus.id, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    const window = pageWindow(page);
    const total = await this.models.alleles.countDocuments(filter);
    const query = this.models.alleles.find(filter, { alleleId: 1 }).sort({ order: 1, alleleId: 1 }).skip(window.offset);
    const rows = await (window.limit === undefined ? query : query.limit(window.limit)).lean<Array<Pick<Allele, 'alleleId'>>>();
    const latest = await this.models.alleles.findOne(filter, { datestamp: 1 }).sort({ datestamp: -1 }).lean<Pick<Allele, 'datestamp'>>();
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const root = `${baseUri}/db/${name}/loci/${locus.id}/alleles`;
    const body: Record<string, unknown> = { records: total, alleles: rows.map((a) => `${root}/${a.alleleId}`) };
    if (latest) body.last_updated = latest.datestamp;
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/loci/{locus}/alleles/{id}. */
  async allele(baseUri: string, name: string, locusName: string, alleleId: string) {
    await this.seqdef(name);
    const locus = await this.findLocus(name, locusName);
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
    await this.seqdef(name);
    const locus = await this.findLocus(name, locusName);
    const filter = { database: name, locus: locus.id, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    if (!(await this.models.alleles.exists(filter))) throw ServiceError.notFound(`No alleles for locus ${locus.id} are defined.`);
    const cursor = this.models.alleles.find(filter, { alleleId: 1, sequence: 1 }).sort({ order: 1, alleleId: 1 }).lean<Allele>().cursor();
    async function* fasta() {
      for await (const allele of cursor) yield `>${locus.id}_${allele.alleleId}\n${allele.sequence}\n`;
    }
    return this.transfers.put(fasta(), TypingService.DOWNLOAD_LIMIT, 'The download is too large.');
  }

  /** GET /db/{db}/sequences: how many alleles are defined, and when last changed. */
  async sequences(baseUri: string, name: string) {
    await this.seqdef(name);
    const filter = { database: name, alleleId: { $nin: EXCLUDED_ALLELE_IDS } };
    const latest = await this.models.alleles.findOne(filter, { datestamp: 1 }).sort({ datestamp: -1 }).lean<Pick<Allele, 'datestamp'>>();
    const body: Record<string, unknown> = { loci: `${baseUri}/db/${name}/loci`, records: await this.models.alleles.countDocuments(filter) };
    if (latest) body.last_updated = latest.datestamp;
    return body;
  }

  /** GET /db/{db}/curators. Curators are not kept yet (curation comes with submissions): none are listed. */
  async curators(name: string) {
    await this.find(name);
    return { records: 0, curators: [] };
  }

  /** GET /db/{db}/schemes/{id}/fields/{field}. */
  async schemeField(name: string, schemeId: string, fieldName: string) {
    await this.find(name);
    const scheme = await this.findScheme(name, schemeId);
    const field = scheme.fields.find((f) => f.name === fieldName);
    if (!field) throw ServiceError.notFound(`Scheme field ${fieldName} does not exist.`);
    return { field: field.name, type: field.type, primary_key: field.primaryKey };
  }

  /** GET /db/{db}/schemes (?with_pk=1: only schemes with a primary key). */
  async schemes(baseUri: string, name: string, withPk: boolean) {
    await this.find(name);
    const schemes = (await this.models.schemes.find({ database: name }).sort({ id: 1 }).lean<Scheme[]>()).filter((s) => !withPk || s.fields.some((f) => f.primaryKey));
    return { records: schemes.length, schemes: schemes.map((s) => ({ scheme: `${baseUri}/db/${name}/schemes/${s.id}`, description: s.description })) };
  }

  /** GET /db/{db}/schemes/{id}. */
  async scheme(baseUri: string, name: string, schemeId: string) {
    const db = await this.find(name);
    const scheme = await this.findScheme(name, schemeId);
    const root = `${baseUri}/db/${name}/schemes/${scheme.id}`;
    const pk = scheme.fields.find((f) => f.primaryKey);
    const body: Record<string, unknown> = {
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
      const filter = { database: name, schemeId: scheme.id };
      const added = await this.models.profiles.findOne(filter, { dateEntered: 1 }).sort({ dateEntered: -1 }).lean<Profile>();
      const updated = await this.models.profiles.findOne(filter, { datestamp: 1 }).sort({ datestamp: -1 }).lean<Profile>();
      Object.assign(body, {
        records: await this.models.profiles.countDocuments(filter),
        last_added: added?.dateEntered ?? null,
        last_updated: updated?.datestamp ?? null,
        profiles: `${root}/profiles`,
        profiles_csv: `${root}/profiles_csv`,
        curators: [],
      });
    }
    return body;
  }

  /** GET /db/{db}/schemes/{id}/profiles: paged, in profile id order. */
  async profiles(baseUri: string, name: string, schemeId: string, page: PageRequest) {
    await this.seqdef(name);
    const scheme = await this.withPrimaryKey(name, schemeId);
    const window = pageWindow(page);
    const filter = { database: name, schemeId: scheme.id };
    const total = await this.models.profiles.countDocuments(filter);
    const query = this.models.profiles.find(filter, { profileId: 1 }).sort({ order: 1, profileId: 1 }).skip(window.offset);
    const rows = await (window.limit === undefined ? query : query.limit(window.limit)).lean<Array<Pick<Profile, 'profileId'>>>();
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const root = `${baseUri}/db/${name}/schemes/${scheme.id}/profiles`;
    return { body: { records: total, profiles: rows.map((p) => `${root}/${p.profileId}`), ...(paging ? { paging } : {}) }, headers };
  }

  /** GET /db/{db}/schemes/{id}/profiles/{pid} (?allele_ids_only=1 lists {locus, allele_id} instead of URIs). */
  async profile(baseUri: string, name: string, schemeId: string, profileId: string, alleleIdsOnly: boolean) {
    await this.seqdef(name);
    const scheme = await this.withPrimaryKey(name, schemeId);
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    const profile = await this.models.profiles.findById(profileKey(name, scheme.id, profileId)).lean<Profile>();
    if (!profile) throw ServiceError.notFound(`Profile ${pk.name}-${profileId} does not exist.`);
    const alleles = scheme.loci.map((locus, i) =>
      alleleIdsOnly ? { locus, allele_id: profile.alleles[i] } : `${baseUri}/db/${name}/loci/${locus}/alleles/${profile.alleles[i]}`,
    );
    return { ...profile.fields, alleles, date_entered: profile.dateEntered, datestamp: profile.datestamp };
  }

  /** GET /db/{db}/schemes/{id}/profiles_csv: `ST<TAB>loci…<TAB>other fields`, one profile a line. */
  async profilesCsv(name: string, schemeId: string) {
    await this.seqdef(name);
    const scheme = await this.withPrimaryKey(name, schemeId);
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    const others = scheme.fields.filter((f) => !f.primaryKey).map((f) => f.name);
    const cursor = this.models.profiles.find({ database: name, schemeId: scheme.id }).sort({ order: 1, profileId: 1 }).lean<Profile>().cursor();
    async function* csv() {
      yield `${[pk.name, ...scheme.loci, ...others].join('\t')}\n`;
      for await (const p of cursor) yield `${[p.profileId, ...p.alleles, ...others.map((f) => p.fields[f] ?? '')].join('\t')}\n`;
    }
    return this.transfers.put(csv(), TypingService.DOWNLOAD_LIMIT, 'The download is too large.');
  }

  private async findScheme(database: string, schemeId: string): Promise<Scheme> {
    if (!/^\d+$/.test(schemeId)) throw ServiceError.badRequest('Scheme id must be an integer.');
    const scheme = await this.models.schemes.findOne({ database, id: Number(schemeId) }).lean<Scheme>();
    if (!scheme) throw ServiceError.notFound(`Scheme ${schemeId} does not exist.`);
    return scheme;
  }

  private async withPrimaryKey(database: string, schemeId: string): Promise<Scheme> {
    const scheme = await this.findScheme(database, schemeId);
    if (!scheme.fields.some((f) => f.primaryKey)) throw ServiceError.notFound(`Scheme ${schemeId} does not have a primary key field.`);
    return scheme;
  }

  private async find(name: string): Promise<TypingDatabase> {
    const db = await this.models.databases.findById(name).lean<TypingDatabase>();
    if (!db) throw ServiceError.notFound(`Database ${name} has not been defined`);
    return db;
  }

  private async seqdef(name: string): Promise<TypingDatabase> {
    const db = await this.find(name);
    if (db.type !== 'seqdef') throw ServiceError.badRequest('This is not a sequence definition database.');
    return db;
  }

  private async findLocus(database: string, name: string): Promise<Locus> {
    const locus = await this.models.loci.findOne({ database, id: name }).lean<Locus>();
    if (!locus) throw ServiceError.notFound(`Locus ${name} does not exist.`);
    return locus;
  }
}
