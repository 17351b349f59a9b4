import type {
  IsolateClassifications,
  IsolateProvenance,
  IsolateScheme,
  IsolateSchemeFields,
  PageRequest,
  ReplyOf,
  TypingSubjects,
} from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { AlleleDesignationsRepository } from '../allele-designations/allele-designations.repository';
import { SchemeValues } from '../allele-designations/scheme-values';
import { ClassificationMemberships } from '../classification/classification-memberships';
import { dateFilter, queryValues, RECORD_DATE_FILTERS } from '../common/filters';
import { defined, Links } from '../common/links';
import { Lookup } from '../common/lookup';
import { pageResult, pageWindow, truthy } from '../common/paging';
import { ContigsRepository } from '../contigs/contigs.repository';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import type { IsolateField } from '../fields/fields.schema';
import { ProjectsRepository } from '../projects/projects.repository';
import { SchemesRepository } from '../schemes/schemes.repository';
import type { Scheme } from '../schemes/schemes.schema';
import { IsolateSearch } from './isolate-search';
import { IsolatesRepository } from './isolates.repository';
import { type Isolate, ISOLATE_SYSTEM_FIELDS } from './isolates.schema';

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

/** Current versions only, unless include_old_versions is set. */
function versions(page: PageRequest): Record<string, unknown> {
  const values = queryValues(page.query);
  return truthy(values.get('include_old_versions')) || truthy(values.get('all_versions'))
    ? {}
    : { newVersion: { $exists: false } };
}

/** Provenance as BIGSdb sends it: the configured fields in order, integers as numbers, users as links. */
function provenance(links: Links, fields: IsolateField[], isolate: Isolate): IsolateProvenance {
  const values: IsolateProvenance = {};
  for (const field of fields) {
    if (field.name === 'sender' || field.name === 'curator') values[field.name] = links.user(isolate[field.name]);
    else if (field.name in ISOLATE_SYSTEM_FIELDS)
      values[field.name] = isolate[ISOLATE_SYSTEM_FIELDS[field.name as keyof typeof ISOLATE_SYSTEM_FIELDS]];
    else values[field.name] = isolate.provenance[field.name];
  }
  return defined(values);
}

/** BIGSdb's isolate routes of isolates databases (Isolates.pm). */
@Injectable()
export class IsolatesService {
  constructor(
    private readonly lookup: Lookup,
    private readonly isolates: IsolatesRepository,
    private readonly contigs: ContigsRepository,
    private readonly designations: AlleleDesignationsRepository,
    private readonly schemes: SchemesRepository,
    private readonly projects: ProjectsRepository,
    private readonly schemeValues: SchemeValues,
    private readonly memberships: ClassificationMemberships,
    private readonly search: IsolateSearch,
  ) {}

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
    const listed = await this.isolates.page(where, window);
    const { paging, headers } = pageResult(
      window,
      listed.total,
      pagePath ? { ...page, path: pagePath } : page,
      links.baseUri,
    );
    const body: ReplyOf<typeof TypingSubjects.listIsolates>['body'] = {
      records: listed.total,
      ...(listed.lastAdded !== undefined ? { last_added: listed.lastAdded } : {}),
      ...(listed.lastUpdated !== undefined ? { last_updated: listed.lastUpdated } : {}),
      isolates: listed.ids.map((id) => links.to(`isolates/${id}`)),
      ...(paging ? { paging } : {}),
    };
    return { body, headers };
  }

  /** GET /db/{db}/isolates. */
  async listIsolates(baseUri: string, name: string, page: PageRequest) {
    await this.lookup.isolatesDatabase(name);
    return this.isolateList(
      new Links(baseUri, name),
      { database: name, ...versions(page), ...dateFilter(page.query, RECORD_DATE_FILTERS) },
      page,
    );
  }

  /** GET /db/{db}/genomes: isolates with at least genome_size bases of contigs (default 1,000,000). */
  async listGenomes(baseUri: string, name: string, page: PageRequest) {
    await this.lookup.isolatesDatabase(name);
    const requested = queryValues(page.query).get('genome_size');
    const size = requested !== undefined && /^\d{1,12}$/.test(requested) ? Number(requested) : GENOME_SIZE;
    const totals = await this.contigs.totalLengths(name);
    const ids = totals.filter((t) => t.total >= size).map((t) => t._id);
    return this.isolateList(
      new Links(baseUri, name),
      { database: name, ...versions(page), ...dateFilter(page.query, RECORD_DATE_FILTERS) },
      page,
      ids,
    );
  }

  /** POST /db/{db}/isolates/search. Paging links keep the search (BIGSdb's point to GET /isolates and lose it). */
  async searchIsolates(baseUri: string, name: string, terms: Record<string, unknown>, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const { filter, ids } = await this.search.filter(db, terms);
    return this.isolateList(new Links(baseUri, name), { ...filter, ...versions(page) }, page, ids, page.path);
  }

  /** GET /db/{db}/isolates/{id} (provenance_only=1: just the provenance). */
  async getIsolate(baseUri: string, name: string, isolateId: string, provenanceOnly: boolean) {
    const db = await this.lookup.isolatesDatabase(name);
    const isolate = await this.lookup.isolate(db, isolateId);
    const links = new Links(baseUri, name);
    const body: ReplyOf<typeof TypingSubjects.getIsolate> = { provenance: provenance(links, db.fields ?? [], isolate) };
    if (provenanceOnly) return body;
    const id = isolate.id;
    if (isolate.aliases.length) body.aliases = isolate.aliases;
    if (await this.isolates.hasHistory(name, id)) body.history = links.to(`isolates/${id}/history`);
    if (isolate.publications.length) {
      body.publications = [...isolate.publications]
        .sort((a, b) => a - b)
        .map((pmid) => ({ pubmed_id: pmid, citation_link: `https://www.ncbi.nlm.nih.gov/pubmed/${pmid}` }));
    }
    const lengths = await this.contigs.lengths(name, id);
    if (lengths.length) {
      const stats = assemblyStats(lengths);
      body.sequence_bin = {
        contig_count: lengths.length,
        total_length: stats.total,
        N50: stats.N50,
        L50: stats.L50,
        contigs: links.to(`isolates/${id}/contigs`),
        contigs_fasta: links.to(`isolates/${id}/contigs_fasta`),
      };
    }
    const designationCount = await this.designations.count(name, id);
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
      const projects = await this.projects.list(name, isolate.projects);
      body.projects = projects.map((p) => ({ id: links.to(`projects/${p.id}`), description: p.description }));
    }
    if (isolate.newVersion !== undefined) body.new_version = links.to(`isolates/${isolate.newVersion}`);
    const old = await this.isolates.olderVersion(name, id);
    if (old !== undefined) body.old_version = links.to(`isolates/${old}`);
    return body;
  }

  /** The isolate's schemes with at least one designated locus: counts, links, fields and classification groups. */
  private async isolateSchemes(links: Links, db: TypingDatabase, isolateId: number) {
    const designated = new Set<string>(await this.designations.designatedLoci(db._id, isolateId));
    if (!designated.size) return [];
    const schemes = await this.schemes.list(definitionsOf(db));
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
  private async classificationGroupsOf(links: Links, db: TypingDatabase, scheme: Scheme, fields: IsolateSchemeFields) {
    const pk = scheme.fields.find((f) => f.primaryKey)!;
    const profileIds = ([] as unknown[]).concat(fields[pk.name] ?? []).map(String);
    const result: IsolateClassifications = {};
    for (const cscheme of await this.memberships.of(db, scheme.id)) {
      const { groupOf } = await this.memberships.membership(db, cscheme);
      const groupIds = new Set(profileIds.map((id) => groupOf.get(id)).filter((g): g is number => g !== undefined));
      const groups: IsolateClassifications[string]['groups'] = [];
      for (const group of groupIds) {
        const isolates = await this.memberships.groupIsolates(db, cscheme, group);
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
  async getIsolateHistory(baseUri: string, name: string, isolateId: string) {
    await this.lookup.isolatesDatabase(name);
    const links = new Links(baseUri, name);
    const rows = await this.isolates.historyOf(name, Lookup.isolateId(isolateId));
    return {
      records: rows.length,
      updates: rows.map((r) => defined({ curator: links.user(r.curator), timestamp: r.timestamp, actions: r.actions })),
    };
  }
}
