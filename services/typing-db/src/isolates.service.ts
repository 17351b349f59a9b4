import {
  type FieldValue,
  type IsolateClassifications,
  type IsolateProvenance,
  type IsolateScheme,
  type PageRequest,
  type ReplyOf,
  ServiceError,
  type TypingSubjects,
} from '@helixgate/contracts';
import type { TransferStore } from '@helixgate/platform';
import type { Classifications } from './classifications';
import { dateFilter, queryValues, RECORD_DATE_FILTERS } from './filters';
import { searchFilter } from './isolate-search';
import { defined, Links, Lookup } from './lookup';
import type {
  AlleleDesignation,
  Contig,
  HistoryEntry,
  Isolate,
  IsolateField,
  Locus,
  Project,
  Scheme,
  TypingDatabase,
  TypingModels,
} from './models';
import { contigKey, ISOLATE_SYSTEM_FIELDS, isolateFieldPath } from './models';
import { pageResult, pageSlice, pageWindow, truthy } from './paging';
import { SchemeValues } from './scheme-values';

/** BIGSdb's genomes route counts an isolate as a genome from this much sequence (the code's default, not the document's 500,000). */
const GENOME_SIZE = 1_000_000;

/** N50 and L50 of contig lengths. */
function assemblyStats(lengths: number[]) {
  const sorted = [...lengths].sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (const [i, length] of sorted.entries()) {
    sum += length;
    if (sum * 2 >= total) return { total, N50: length, L50: i + 1 };
  }
  return { total, N50: 0, L50: 0 };
}

/** BIGSdb's isolate database routes (Isolates.pm, AlleleDesignations.pm, Contigs.pm, Fields.pm, Projects.pm). */
export class IsolatesService {
  private readonly lookup: Lookup;
  private readonly schemeValues: SchemeValues;

  constructor(
    private readonly models: TypingModels,
    private readonly transfers: TransferStore,
    private readonly classifications: Classifications,
  ) {
    this.lookup = new Lookup(models);
    this.schemeValues = new SchemeValues(models);
  }

  private static readonly DOWNLOAD_LIMIT = 2 * 1024 ** 3;

  /** A paged list of isolate links, with BIGSdb's last_added / last_updated over the whole selection. */
  private async isolateList(
    links: Links,
    filter: Record<string, unknown>,
    page: PageRequest,
    ids?: number[],
    pagePath?: string,
  ) {
    const window = pageWindow(page);
    const where = ids ? { ...filter, id: { $in: ids } } : filter;
    const total = await this.models.isolates.countDocuments(where);
    const query = this.models.isolates.find(where, { id: 1 }).sort({ id: 1 }).skip(window.offset);
    const rows = await (window.limit === undefined ? query : query.limit(window.limit)).lean<
      Array<Pick<Isolate, 'id'>>
    >();
    const added = await this.models.isolates
      .findOne(where, { dateEntered: 1 })
      .sort({ dateEntered: -1 })
      .lean<Isolate>();
    const updated = await this.models.isolates.findOne(where, { datestamp: 1 }).sort({ datestamp: -1 }).lean<Isolate>();
    const { paging, headers } = pageResult(window, total, pagePath ? { ...page, path: pagePath } : page, links.baseUri);
    const body: ReplyOf<typeof TypingSubjects.listIsolates>['body'] = {
      records: total,
      ...(added ? { last_added: added.dateEntered } : {}),
      ...(updated ? { last_updated: updated.datestamp } : {}),
      isolates: rows.map((r) => links.to(`isolates/${r.id}`)),
      ...(paging ? { paging } : {}),
    };
    return { body, headers };
  }

  /** Current versions only, unless include_old_versions is set. */
  private static versions(page: PageRequest): Record<string, unknown> {
    const values = queryValues(page.query);
    return truthy(values.get('include_old_versions')) || truthy(values.get('all_versions'))
      ? {}
      : { newVersion: { $exists: false } };
  }

  /** GET /db/{db}/isolates. */
  async isolates(baseUri: string, name: string, page: PageRequest) {
    await this.lookup.isolates(name);
    return this.isolateList(
      new Links(baseUri, name),
      { database: name, ...IsolatesService.versions(page), ...dateFilter(page.query, RECORD_DATE_FILTERS) },
      page,
    );
  }

  /** GET /db/{db}/genomes: isolates with at least genome_size bases of contigs (default 1,000,000). */
  async genomes(baseUri: string, name: string, page: PageRequest) {
    await this.lookup.isolates(name);
    const requested = queryValues(page.query).get('genome_size');
    const size = requested !== undefined && /^\d{1,12}$/.test(requested) ? Number(requested) : GENOME_SIZE;
    const totals = await this.models.contigs.aggregate<{ _id: number; total: number }>([
      { $match: { database: name } },
      { $group: { _id: '$isolateId', total: { $sum: '$length' } } },
    ]);
    const ids = totals.filter((t) => t.total >= size).map((t) => t._id);
    return this.isolateList(
      new Links(baseUri, name),
      { database: name, ...IsolatesService.versions(page), ...dateFilter(page.query, RECORD_DATE_FILTERS) },
      page,
      ids,
    );
  }

  /** POST /db/{db}/isolates/search. Paging links keep the search (BIGSdb's point to GET /isolates and lose it). */
  async search(baseUri: string, name: string, terms: Record<string, unknown>, page: PageRequest) {
    const db = await this.lookup.isolates(name);
    const { filter, ids } = await searchFilter(this.models, this.schemeValues, db, terms);
    return this.isolateList(
      new Links(baseUri, name),
      { ...filter, ...IsolatesService.versions(page) },
      page,
      ids,
      page.path,
    );
  }

  /** Provenance as BIGSdb sends it: the configured fields in order, integers as numbers, users as links. */
  private static provenance(links: Links, fields: IsolateField[], isolate: Isolate): IsolateProvenance {
    const provenance: IsolateProvenance = {};
    for (const field of fields) {
      if (field.name === 'sender' || field.name === 'curator') provenance[field.name] = links.user(isolate[field.name]);
      else if (field.name in ISOLATE_SYSTEM_FIELDS)
        provenance[field.name] = isolate[ISOLATE_SYSTEM_FIELDS[field.name as keyof typeof ISOLATE_SYSTEM_FIELDS]];
      else provenance[field.name] = isolate.provenance[field.name];
    }
    return defined(provenance);
  }

  /** GET /db/{db}/isolates/{id} (provenance_only=1: just the provenance). */
  async isolate(baseUri: string, name: string, isolateId: string, provenanceOnly: boolean) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const links = new Links(baseUri, name);
    const body: ReplyOf<typeof TypingSubjects.getIsolate> = {
      provenance: IsolatesService.provenance(links, db.fields ?? [], isolate),
    };
    if (provenanceOnly) return body;
    const id = isolate.id;
    if (isolate.aliases.length) body.aliases = isolate.aliases;
    if (await this.models.history.exists({ database: name, isolateId: id }))
      body.history = links.to(`isolates/${id}/history`);
    if (isolate.publications.length) {
      body.publications = [...isolate.publications]
        .sort((a, b) => a - b)
        .map((pmid) => ({ pubmed_id: pmid, citation_link: `https://www.ncbi.nlm.nih.gov/pubmed/${pmid}` }));
    }
    const contigs = await this.models.contigs
      .find({ database: name, isolateId: id }, { length: 1 })
      .lean<Array<Pick<Contig, 'length'>>>();
    if (contigs.length) {
      const stats = assemblyStats(contigs.map((c) => c.length));
      body.sequence_bin = {
        contig_count: contigs.length,
        total_length: stats.total,
        N50: stats.N50,
        L50: stats.L50,
        contigs: links.to(`isolates/${id}/contigs`),
        contigs_fasta: links.to(`isolates/${id}/contigs_fasta`),
      };
    }
    const designationCount = await this.models.designations.countDocuments({ database: name, isolateId: id });
    if (designationCount) {
      body.allele_designations = {
        designation_count: designationCount,
        full_designations: links.to(`isolates/${id}/allele_designations`),
        allele_ids: links.to(`isolates/${id}/allele_ids`),
      };
    }
    const schemes = await this.isolateSchemes(links, db, id);
    if (schemes.length) body.schemes = schemes;
    if (isolate.projects.length) {
      const projects = await this.models.projects
        .find({ database: name, id: { $in: isolate.projects } })
        .sort({ id: 1 })
        .lean<Project[]>();
      body.projects = projects.map((p) => ({ id: links.to(`projects/${p.id}`), description: p.description }));
    }
    if (isolate.newVersion !== undefined) body.new_version = links.to(`isolates/${isolate.newVersion}`);
    const old = await this.models.isolates
      .findOne({ database: name, newVersion: id }, { id: 1 })
      .lean<Pick<Isolate, 'id'>>();
    if (old) body.old_version = links.to(`isolates/${old.id}`);
    return body;
  }

  /** The isolate's schemes with at least one designated locus: counts, links, fields and classification groups. */
  private async isolateSchemes(links: Links, db: TypingDatabase, isolateId: number) {
    const definitions = Lookup.definitions(db);
    const designated = new Set<string>(
      await this.models.designations.distinct('locus', { database: db._id, isolateId }),
    );
    if (!designated.size) return [];
    const schemes = await this.models.schemes.find({ database: definitions }).sort({ id: 1 }).lean<Scheme[]>();
    const result: IsolateScheme[] = [];
    for (const scheme of schemes) {
      const count = scheme.loci.filter((l) => designated.has(l)).length;
      if (!count) continue;
      const entry: IsolateScheme = {
        description: scheme.description,
        loci_designated_count: count,
        full_designations: links.to(`isolates/${isolateId}/schemes/${scheme.id}/allele_designations`),
        allele_ids: links.to(`isolates/${isolateId}/schemes/${scheme.id}/allele_ids`),
      };
      if (scheme.fields.some((f) => f.primaryKey)) {
        const fields = await this.schemeValues.fieldValues(db, scheme, isolateId);
        if (Object.keys(fields).length) entry.fields = fields;
        const classification = await this.classificationGroupsOf(links, db, scheme, fields);
        if (Object.keys(classification).length) entry.classification_schemes = classification;
      }
      result.push(entry);
    }
    return result;
  }

  /** Groups of the isolate's profile that hold more than one current isolate, as BIGSdb lists them. */
  private async classificationGroupsOf(
    links: Links,
    db: TypingDatabase,
    scheme: Scheme,
    fields: Record<string, unknown>,
  ) {
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    const profileIds = ([] as unknown[]).concat(fields[pk.name] ?? []).map(String);
    const result: IsolateClassifications = {};
    for (const cscheme of await this.classifications.of(db, scheme.id)) {
      const { groupOf } = await this.classifications.membership(db, cscheme);
      const groupIds = new Set(profileIds.map((id) => groupOf.get(id)).filter((g): g is number => g !== undefined));
      const groups: IsolateClassifications[string]['groups'] = [];
      for (const group of groupIds) {
        const isolates = await this.classifications.groupIsolates(db, cscheme, group);
        if (isolates.length > 1)
          groups.push({
            group,
            records: isolates.length,
            isolates: links.to(`classification_schemes/${cscheme.id}/groups/${group}`),
          });
      }
      if (groups.length) result[cscheme.name] = { href: links.to(`classification_schemes/${cscheme.id}`), groups };
    }
    return result;
  }

  /** GET /db/{db}/isolates/{id}/history: like BIGSdb, an unknown isolate simply has no updates. */
  async history(baseUri: string, name: string, isolateId: string) {
    await this.lookup.isolates(name);
    const links = new Links(baseUri, name);
    const rows = await this.models.history
      .find({ database: name, isolateId: Lookup.isolateId(isolateId) })
      .sort({ timestamp: 1 })
      .lean<HistoryEntry[]>();
    return {
      records: rows.length,
      updates: rows.map((r) => defined({ curator: links.user(r.curator), timestamp: r.timestamp, actions: r.actions })),
    };
  }

  /** The loci an isolate has designations for, in locus order. */
  private async designatedLoci(db: TypingDatabase, isolateId: number): Promise<string[]> {
    return ((await this.models.designations.distinct('locus', { database: db._id, isolateId })) as string[]).sort();
  }

  /** GET /db/{db}/isolates/{id}/allele_designations: paged links, one per designated locus. */
  async designations(baseUri: string, name: string, isolateId: string, page: PageRequest) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const loci = await this.designatedLoci(db, isolate.id);
    const window = pageWindow(page);
    const links = new Links(baseUri, name);
    const { paging, headers } = pageResult(window, loci.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listDesignations>['body'] = {
      records: loci.length,
      allele_designations: pageSlice(loci, window).map((l) =>
        links.to(`isolates/${isolate.id}/allele_designations/${l}`),
      ),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** An allele id as BIGSdb sends it: a number when the locus's ids are integers. */
  private static alleleId(locus: Locus | undefined, alleleId: string): string | number {
    return locus?.alleleIdFormat === 'integer' && /^\d+$/.test(alleleId) ? Number(alleleId) : alleleId;
  }

  private async designationRows(db: TypingDatabase, isolateId: number, loci: string[]) {
    return this.models.designations
      .find({ database: db._id, isolateId, locus: { $in: loci } })
      .sort({ locus: 1, alleleId: 1 })
      .lean<AlleleDesignation[]>();
  }

  private async lociById(db: TypingDatabase, ids: string[]): Promise<Map<string, Locus>> {
    return new Map(
      (await this.models.loci.find({ database: Lookup.definitions(db), id: { $in: ids } }).lean<Locus[]>()).map((l) => [
        l.id,
        l,
      ]),
    );
  }

  /** GET /db/{db}/isolates/{id}/allele_designations/{locus}: every designation of the locus (an array). */
  async designation(baseUri: string, name: string, isolateId: string, locusName: string) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const locus = await this.lookup.locus(db, locusName);
    const rows = await this.designationRows(db, isolate.id, [locus.id]);
    if (!rows.length)
      throw ServiceError.notFound(`Isolate ${isolate.id} has no designations defined for locus ${locus.id}.`);
    const links = new Links(baseUri, name);
    return rows.map((d) =>
      defined({
        locus: links.to(`loci/${locus.id}`),
        allele_id: IsolatesService.alleleId(locus, d.alleleId),
        status: d.status,
        method: d.method,
        comments: d.comments || undefined,
        sender: links.user(d.sender),
        curator: links.user(d.curator),
        datestamp: d.datestamp,
      }),
    );
  }

  /** {locus: id} or {locus: [ids]} per locus, as BIGSdb's allele_ids routes give them. */
  private async alleleIdObjects(db: TypingDatabase, isolateId: number, loci: string[]) {
    const rows = await this.designationRows(db, isolateId, loci);
    const byLocus = await this.lociById(db, loci);
    return loci
      .map((locus) => {
        const ids = rows
          .filter((r) => r.locus === locus)
          .map((r) => IsolatesService.alleleId(byLocus.get(locus), r.alleleId));
        return ids.length ? { [locus]: ids.length === 1 ? ids[0] : ids } : undefined;
      })
      .filter((o): o is Record<string, string | number | Array<string | number>> => o !== undefined);
  }

  /** GET /db/{db}/isolates/{id}/allele_ids: paged by locus. */
  async alleleIds(baseUri: string, name: string, isolateId: string, page: PageRequest) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const loci = await this.designatedLoci(db, isolate.id);
    const window = pageWindow(page);
    const { paging, headers } = pageResult(window, loci.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listAlleleIds>['body'] = {
      records: loci.length,
      allele_ids: await this.alleleIdObjects(db, isolate.id, pageSlice(loci, window)),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/isolates/{id}/schemes/{scheme}/allele_ids: the scheme's designated loci, in scheme order. */
  async schemeAlleleIds(name: string, isolateId: string, schemeId: string) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const scheme = await this.lookup.scheme(db, schemeId);
    const ids = await this.alleleIdObjects(db, isolate.id, scheme.loci);
    return { records: ids.length, allele_ids: ids };
  }

  /** GET /db/{db}/isolates/{id}/schemes/{scheme}/allele_designations: [{locus: [designations]}], in scheme order. */
  async schemeDesignations(baseUri: string, name: string, isolateId: string, schemeId: string) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const scheme = await this.lookup.scheme(db, schemeId);
    const rows = await this.designationRows(db, isolate.id, scheme.loci);
    const byLocus = await this.lociById(db, scheme.loci);
    const links = new Links(baseUri, name);
    const designations = scheme.loci
      .filter((locus) => rows.some((r) => r.locus === locus))
      .map((locus) => ({
        [locus]: rows
          .filter((r) => r.locus === locus)
          .map((d) =>
            defined({
              locus: links.to(`loci/${locus}`),
              allele_id: IsolatesService.alleleId(byLocus.get(locus), d.alleleId),
              sender: links.user(d.sender),
              status: d.status,
              method: d.method,
              curator: links.user(d.curator),
              date_entered: d.dateEntered,
              datestamp: d.datestamp,
            }),
          ),
      }));
    return { records: designations.length, allele_designations: designations };
  }

  /** GET /db/{db}/isolates/{id}/contigs: paged contig links, in id order. */
  async contigs(baseUri: string, name: string, isolateId: string, page: PageRequest) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const window = pageWindow(page);
    const filter = { database: name, isolateId: isolate.id };
    const total = await this.models.contigs.countDocuments(filter);
    const query = this.models.contigs.find(filter, { id: 1 }).sort({ id: 1 }).skip(window.offset);
    const rows = await (window.limit === undefined ? query : query.limit(window.limit)).lean<
      Array<Pick<Contig, 'id'>>
    >();
    const links = new Links(baseUri, name);
    const { paging, headers } = pageResult(window, total, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listContigs>['body'] = {
      records: total,
      contigs: rows.map((c) => links.to(`contigs/${c.id}`)),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** GET /db/{db}/contigs/{id}. */
  async contig(baseUri: string, name: string, contigId: string) {
    await this.lookup.isolates(name);
    if (!/^\d+$/.test(contigId) || contigId.length > 15) throw ServiceError.badRequest('Contig id must be an integer.');
    const key = contigKey(name, Number(contigId));
    const contig = await this.models.contigs.findById(key).lean<Contig>();
    const stored = contig && (await this.models.contigSequences.findById(key).lean());
    if (!contig || !stored) throw ServiceError.notFound(`Contig id-${Number(contigId)} does not exist.`);
    const links = new Links(baseUri, name);
    return defined({
      id: contig.id,
      isolate_id: contig.isolateId,
      sequence: stored.sequence,
      length: contig.length,
      method: contig.method || undefined,
      original_designation: contig.originalDesignation || undefined,
      comments: contig.comments || undefined,
      sender: links.user(contig.sender),
      curator: links.user(contig.curator),
      date_entered: contig.dateEntered,
      datestamp: contig.datestamp,
    });
  }

  /** GET /db/{db}/isolates/{id}/contigs_fasta (?header=original_designation), streamed into the object store. */
  async contigsFasta(name: string, isolateId: string, header: string | undefined) {
    const db = await this.lookup.isolates(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const useOriginal = header === 'original_designation';
    const contigs = await this.models.contigs
      .find({ database: name, isolateId: isolate.id }, { id: 1, originalDesignation: 1 })
      .sort({ id: 1 })
      .lean<Contig[]>();
    const sequences = this.models.contigSequences;
    async function* fasta() {
      for (const contig of contigs) {
        const stored = await sequences.findById(contig._id).lean();
        if (!stored) continue;
        yield `>${useOriginal && contig.originalDesignation ? contig.originalDesignation : contig.id}\n`;
        for (let i = 0; i < stored.sequence.length; i += 1 << 20) yield stored.sequence.slice(i, i + (1 << 20));
        yield '\n';
      }
    }
    return this.transfers.put(fasta(), IsolatesService.DOWNLOAD_LIMIT, 'The download is too large.');
  }

  /** GET /db/{db}/fields: the provenance fields with their rules and a link to their values. */
  async fields(baseUri: string, name: string) {
    const db = await this.lookup.isolates(name);
    const links = new Links(baseUri, name);
    return (db.fields ?? []).map((f) =>
      defined({
        name: f.name,
        type: f.type,
        required: f.required,
        length: f.length,
        min: f.min,
        max: f.max,
        regex: f.regex,
        comments: f.comments,
        allowed_values: f.allowedValues,
        values: links.to(`fields/${f.name}`),
      }),
    );
  }

  /** GET /db/{db}/fields/{field}: the distinct values used, in order. */
  async fieldValues(baseUri: string, name: string, fieldName: string, page: PageRequest) {
    const db = await this.lookup.isolates(name);
    const field = (db.fields ?? []).find((f) => f.name === fieldName);
    if (!field) throw ServiceError.notFound(`Field ${fieldName} does not exist.`);
    const distinct = (
      (await this.models.isolates.distinct(isolateFieldPath(field.name), { database: name })) as FieldValue[]
    ).filter((v) => v !== null && v !== undefined && v !== '');
    const numeric = field.type === 'int' || field.type === 'float';
    const values = distinct.sort((a, b) =>
      numeric ? Number(a) - Number(b) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
    );
    const window = pageWindow(page);
    const { paging, headers } = pageResult(window, values.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listFieldValues>['body'] = {
      records: values.length,
      values: pageSlice(values, window),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }

  /** The ids of a project's current isolates. */
  private async projectMembers(name: string, projectId: number): Promise<number[]> {
    const rows = await this.models.isolates
      .find({ database: name, projects: projectId, newVersion: { $exists: false } }, { id: 1 })
      .sort({ id: 1 })
      .lean<Array<Pick<Isolate, 'id'>>>();
    return rows.map((r) => r.id);
  }

  /** GET /db/{db}/projects: projects that have current isolates. */
  async projects(baseUri: string, name: string) {
    await this.lookup.isolates(name);
    const links = new Links(baseUri, name);
    const projects = await this.models.projects.find({ database: name }).sort({ id: 1 }).lean<Project[]>();
    const listed = [];
    for (const project of projects)
      if ((await this.projectMembers(name, project.id)).length)
        listed.push({ project: links.to(`projects/${project.id}`), description: project.description });
    return { records: listed.length, projects: listed };
  }

  private async findProject(name: string, projectId: string): Promise<Project> {
    if (!/^\d+$/.test(projectId) || projectId.length > 9)
      throw ServiceError.badRequest('Project id must be an integer.');
    const project = await this.models.projects.findOne({ database: name, id: Number(projectId) }).lean<Project>();
    if (!project) throw ServiceError.notFound(`Project ${Number(projectId)} does not exist.`);
    return project;
  }

  /** GET /db/{db}/projects/{id}. */
  async project(baseUri: string, name: string, projectId: string) {
    await this.lookup.isolates(name);
    const project = await this.findProject(name, projectId);
    return {
      id: project.id,
      description: project.description,
      isolates: new Links(baseUri, name).to(`projects/${project.id}/isolates`),
    };
  }

  /** GET /db/{db}/projects/{id}/isolates: paged links to the project's current isolates. */
  async projectIsolates(baseUri: string, name: string, projectId: string, page: PageRequest) {
    await this.lookup.isolates(name);
    const project = await this.findProject(name, projectId);
    const ids = await this.projectMembers(name, project.id);
    const window = pageWindow(page);
    const links = new Links(baseUri, name);
    const { paging, headers } = pageResult(window, ids.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listProjectIsolates>['body'] = {
      records: ids.length,
      isolates: pageSlice(ids, window).map((id) => links.to(`isolates/${id}`)),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }
}
