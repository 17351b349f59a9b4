import type {
  IsolateClassifications,
  IsolateProvenance,
  IsolateScheme,
  IsolateSchemeFields,
  PageRequest,
  ReplyOf,
  TypingSubjects,
} from '@helixgate/contracts';
import { ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { Catalog } from '../common/catalog';
import { SchemeValues } from '../allele-designations/scheme-values';
import { ClassificationMemberships } from '../classification/classification-memberships';
import { dateFilter, queryValues, RECORD_DATE_FILTERS } from '../common/filters';
import { defined, Links } from '../common/links';
import { Lookup } from '../common/lookup';
import { pageResult, pageSlice, pageWindow, truthy } from '../common/paging';
import { definitionsOf, type TypingDatabase } from '../databases/databases.schema';
import type { IsolateField } from '../fields/fields.schema';
import { VersionedCache } from '../common/versioned-cache';
import { ProjectsRepository } from '../projects/projects.repository';
import type { Project } from '../projects/projects.schema';
import type { Scheme } from '../schemes/schemes.schema';
import { IsolateSearch } from './isolate-search';
import { IsolateCatalogue } from './isolate-catalogue';
import { IsolatesRepository } from './isolates.repository';
import { type CatalogueEntry, ISOLATE_SYSTEM_FIELDS } from './isolates.schema';

/** BIGSdb's genomes route counts an isolate as a genome from this much sequence (the code's default, not the document's 500,000). */
const GENOME_SIZE = 1_000_000;

type EntryTest = (entry: CatalogueEntry) => boolean;

/** Current versions only, unless include_old_versions is set. */
function versions(page: PageRequest): EntryTest {
  const values = queryValues(page.query);
  return truthy(values.get('include_old_versions')) || truthy(values.get('all_versions'))
    ? () => true
    : (entry) => entry.newVersion === undefined;
}

/** BIGSdb's date filters (added_after, updated_on…) as a test of entries. */
function dates(page: PageRequest): EntryTest {
  const conditions = Object.entries(dateFilter(page.query, RECORD_DATE_FILTERS)).flatMap(([field, ops]) =>
    Object.entries(ops).map(([op, date]) => ({ field: field as 'dateEntered' | 'datestamp', op, date })),
  );
  return (entry) =>
    conditions.every(({ field, op, date }) =>
      op === '$gt' ? entry[field] > date : op === '$gte' ? entry[field] >= date : entry[field] === date,
    );
}

/** Provenance as BIGSdb sends it: the configured fields in order, integers as numbers, users as links. */
function provenance(links: Links, fields: IsolateField[], isolate: CatalogueEntry): IsolateProvenance {
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
  private readonly projectLists = new VersionedCache<Project[]>();

  constructor(
    private readonly lookup: Lookup,
    private readonly isolates: IsolatesRepository,
    private readonly catalogue: IsolateCatalogue,
    private readonly catalog: Catalog,
    private readonly projects: ProjectsRepository,
    private readonly schemeValues: SchemeValues,
    private readonly memberships: ClassificationMemberships,
    private readonly search: IsolateSearch,
  ) {}

  /** A paged list of the isolates that pass every test, with BIGSdb's last_added / last_updated over them all. */
  private async isolateList(
    links: Links,
    db: TypingDatabase,
    tests: EntryTest[],
    page: PageRequest,
    pagePath?: string,
  ) {
    const window = pageWindow(page);
    const selected = (await this.catalogue.of(db)).entries.filter((entry) => tests.every((test) => test(entry)));
    let lastAdded: string | undefined;
    let lastUpdated: string | undefined;
    for (const entry of selected) {
      if (lastAdded === undefined || entry.dateEntered > lastAdded) lastAdded = entry.dateEntered;
      if (lastUpdated === undefined || entry.datestamp > lastUpdated) lastUpdated = entry.datestamp;
    }
    const listed = pageSlice(selected, window);
    const { paging, headers } = pageResult(
      window,
      selected.length,
      pagePath ? { ...page, path: pagePath } : page,
      links.baseUri,
    );
    const body: ReplyOf<typeof TypingSubjects.listIsolates>['body'] = {
      records: selected.length,
      ...(lastAdded !== undefined ? { last_added: lastAdded } : {}),
      ...(lastUpdated !== undefined ? { last_updated: lastUpdated } : {}),
      isolates: listed.map((entry) => links.to(`isolates/${entry.id}`)),
      ...(paging ? { paging } : {}),
    };
    return { body, headers };
  }

  /** GET /db/{db}/isolates. */
  async listIsolates(baseUri: string, name: string, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    return this.isolateList(new Links(baseUri, name), db, [versions(page), dates(page)], page);
  }

  /** GET /db/{db}/genomes: isolates with at least genome_size bases of contigs (default 1,000,000). */
  async listGenomes(baseUri: string, name: string, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const requested = queryValues(page.query).get('genome_size');
    const size = requested !== undefined && /^\d{1,12}$/.test(requested) ? Number(requested) : GENOME_SIZE;
    const genome: EntryTest = (entry) => (entry.sequenceBin?.total ?? 0) >= size;
    return this.isolateList(new Links(baseUri, name), db, [genome, versions(page), dates(page)], page);
  }

  /** POST /db/{db}/isolates/search. Paging links keep the search (BIGSdb's point to GET /isolates and lose it). */
  async searchIsolates(baseUri: string, name: string, terms: Record<string, unknown>, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const selects = await this.search.filter(db, terms);
    return this.isolateList(new Links(baseUri, name), db, [selects, versions(page)], page, page.path);
  }

  /** GET /db/{db}/isolates/{id} (provenance_only=1: just the provenance). */
  async getIsolate(baseUri: string, name: string, isolateId: string, provenanceOnly: boolean) {
    const db = await this.lookup.isolatesDatabase(name);
    const id = Lookup.isolateId(isolateId);
    const catalogue = await this.catalogue.of(db);
    const isolate = catalogue.get(id);
    if (!isolate) throw ServiceError.notFound(`Isolate ${id} does not exist.`);
    const links = new Links(baseUri, name);
    const body: ReplyOf<typeof TypingSubjects.getIsolate> = { provenance: provenance(links, db.fields ?? [], isolate) };
    if (provenanceOnly) return body;
    if (isolate.aliases.length) body.aliases = isolate.aliases;
    if (isolate.history) body.history = links.to(`isolates/${id}/history`);
    if (isolate.publications.length) {
      body.publications = [...isolate.publications]
        .sort((a, b) => a - b)
        .map((pmid) => ({ pubmed_id: pmid, citation_link: `https://www.ncbi.nlm.nih.gov/pubmed/${pmid}` }));
    }
    const bin = isolate.sequenceBin;
    if (bin) {
      body.sequence_bin = {
        contig_count: bin.contigs,
        total_length: bin.total,
        N50: bin.N50,
        L50: bin.L50,
        contigs: links.to(`isolates/${id}/contigs`),
        contigs_fasta: links.to(`isolates/${id}/contigs_fasta`),
      };
    }
    if (isolate.designations.length) {
      body.allele_designations = {
        designation_count: isolate.designations.length,
        full_designations: links.to(`isolates/${id}/allele_designations`),
        allele_ids: links.to(`isolates/${id}/allele_ids`),
      };
    }
    const schemes = await this.isolateSchemes(links, db, isolate);
    if (schemes.length) body.schemes = schemes;
    if (isolate.projects.length) {
      // Projects are made by the importer, which stores a new catalogue when it does: its version dates this list.
      const projects = await this.projectLists.get(name, catalogue.version, async () => this.projects.list(name));
      body.projects = projects
        .filter((p) => isolate.projects.includes(p.id))
        .map((p) => ({ id: links.to(`projects/${p.id}`), description: p.description }));
    }
    if (isolate.newVersion !== undefined) body.new_version = links.to(`isolates/${isolate.newVersion}`);
    const old = catalogue.olderVersion(id);
    if (old !== undefined) body.old_version = links.to(`isolates/${old}`);
    return body;
  }

  /** The isolate's schemes with at least one designated locus: counts, links, fields and classification groups. */
  private async isolateSchemes(links: Links, db: TypingDatabase, isolate: CatalogueEntry) {
    const isolateId = isolate.id;
    const designated = new Set<string>(isolate.designations.map(([locus]) => locus));
    if (!designated.size) return [];
    const schemes = (await this.catalog.definitions(definitionsOf(db))).schemesInOrder;
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
