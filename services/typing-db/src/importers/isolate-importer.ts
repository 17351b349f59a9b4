import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AlleleDesignationsRepository } from '../allele-designations/allele-designations.repository';
import { type AlleleDesignation, designationKey } from '../allele-designations/allele-designations.schema';
import { today } from '../common/records';
import { DatabasesRepository } from '../databases/databases.repository';
import { checkFieldValue } from '../fields/field-check';
import type { IsolateField } from '../fields/fields.schema';
import { IsolateCatalogue } from '../isolates/isolate-catalogue';
import { IsolatesRepository } from '../isolates/isolates.repository';
import { type CatalogueEntry, type Isolate, ISOLATE_SYSTEM_FIELDS, isolateKey } from '../isolates/isolates.schema';
import { LociRepository } from '../loci/loci.repository';
import type { Locus } from '../loci/loci.schema';
import { ProjectsRepository } from '../projects/projects.repository';
import { ContigImporter } from './contig-importer';
import { lines } from './text-files';

/**
 * Isolates databases: provenance fields as BIGSdb's config.xml defines them, isolates from a tab-separated file
 * (BIGSdb's batch upload layout: one column per field, plus aliases, references, projects, one column per locus
 * and assembly_filename), contigs from FASTA files. Re-importing the same files changes nothing; a changed value
 * is an update, recorded in the isolate's history as BIGSdb records curation.
 */

/** Fields every isolates database has, around the configured ones (BIGSdb adds them to every config). */
const SYSTEM_FIELDS_FIRST: IsolateField[] = [{ name: 'id', type: 'int', required: true }];
const SYSTEM_FIELDS_LAST: IsolateField[] = [
  { name: 'sender', type: 'int', required: true },
  { name: 'curator', type: 'int', required: true },
  { name: 'date_entered', type: 'date', required: true },
  { name: 'datestamp', type: 'date', required: true },
];
const SYSTEM_NAMES = new Set(Object.keys(ISOLATE_SYSTEM_FIELDS));
/** Columns of the isolates file that are not provenance fields. */
const EXTRA_COLUMNS = new Set(['aliases', 'references', 'projects', 'assembly_filename', 'new_version_of']);

/** A field definition in the shape GET /db/{db}/fields returns, so a real BIGSdb's field list can be loaded as it is. */
const FieldFileSchema = z.array(
  z
    .object({
      name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/),
      type: z.enum(['int', 'integer', 'text', 'date', 'float', 'bool', 'boolean']).default('text'),
      required: z.boolean().default(false),
      length: z.number().int().positive().optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      regex: z.string().max(500).optional(),
      comments: z.string().max(2000).optional(),
      allowed_values: z.array(z.string()).optional(),
    })
    .passthrough(),
);

export async function readFieldFile(path: string): Promise<IsolateField[]> {
  const parsed = FieldFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${path}: not a list of field definitions (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
    );
  const configured = parsed.data
    .filter((f) => !SYSTEM_NAMES.has(f.name))
    .map((f): IsolateField => {
      const type = f.type === 'integer' ? 'int' : f.type === 'boolean' ? 'bool' : f.type;
      return {
        name: f.name,
        type,
        required: f.required,
        length: f.length,
        min: f.min,
        max: f.max,
        regex: f.regex,
        comments: f.comments,
        allowedValues: f.allowed_values,
      };
    });
  if (!configured.some((f) => f.name === 'isolate'))
    throw new Error(`${path}: an isolates database needs an "isolate" field`);
  return [...SYSTEM_FIELDS_FIRST, ...configured, ...SYSTEM_FIELDS_LAST];
}

export interface IsolatesImport {
  database: string;
  description: string;
  group: { name: string; description: string };
  /** The seqdef database whose loci and schemes the isolates are typed against. */
  seqdef: string;
  /** Provenance fields; required when the database is new, replaces the stored list when given. */
  fields?: IsolateField[];
  /** Tab-separated isolates file. */
  file: string;
  /** Where assembly_filename values are looked up (default: the isolates file's folder). */
  contigsDir?: string;
  /** The user id recorded as sender and curator (0: the setup user, left out of records as BIGSdb does). */
  curator: number;
}

export interface IsolatesReport {
  isolates: { seen: number; inserted: number; updated: number };
  designations: { inserted: number };
  contigs: { inserted: number; bases: number };
  seconds: number;
}

const listCell = (cell: string | undefined) =>
  (cell ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);

interface ParsedRow {
  line: number;
  id?: number;
  provenance: Record<string, string | number | boolean>;
  aliases: string[];
  publications: number[];
  projects: string[];
  designations: Array<{ locus: string; alleleId: string }>;
  assembly?: string;
  newVersionOf?: number;
}

/** Reads and checks the whole file before anything is written: one bad line stops the import, naming the line. */
async function parseIsolates(file: string, fields: IsolateField[], loci: Map<string, Locus>): Promise<ParsedRow[]> {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const rows: ParsedRow[] = [];
  const errors: string[] = [];
  let header: string[] | undefined;
  let lineNo = 0;
  for await (const line of lines(file)) {
    lineNo += 1;
    if (!line.trim() || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (!header) {
      header = cells.map((c) => c.trim());
      const unknown = header.filter((c) => !byName.has(c) && !EXTRA_COLUMNS.has(c) && !loci.has(c));
      if (unknown.length)
        throw new Error(
          `${file}: column ${unknown.map((c) => `"${c}"`).join(', ')} is not a field, a locus or one of ${[...EXTRA_COLUMNS].join(', ')}`,
        );
      if (!header.includes('isolate')) throw new Error(`${file}: the header has no "isolate" column`);
      for (const system of ['sender', 'curator', 'date_entered', 'datestamp'])
        if (header.includes(system)) throw new Error(`${file}: "${system}" is set by the import, not by the file`);
      continue;
    }
    const row: ParsedRow = {
      line: lineNo,
      provenance: {},
      aliases: [],
      publications: [],
      projects: [],
      designations: [],
    };
    header.forEach((column, i) => {
      const cell = (cells[i] ?? '').trim();
      if (column === 'aliases') row.aliases = listCell(cell);
      else if (column === 'projects') row.projects = listCell(cell);
      else if (column === 'assembly_filename') row.assembly = cell || undefined;
      else if (column === 'references') {
        for (const pmid of listCell(cell)) {
          if (/^\d{1,9}$/.test(pmid)) row.publications.push(Number(pmid));
          else errors.push(`line ${lineNo}: references must be PubMed ids, not '${pmid}'`);
        }
      } else if (column === 'new_version_of') {
        if (cell && !/^\d+$/.test(cell)) errors.push(`line ${lineNo}: new_version_of must be an isolate id`);
        else if (cell) row.newVersionOf = Number(cell);
      } else if (loci.has(column)) {
        const locus = loci.get(column)!;
        for (const alleleId of listCell(cell)) {
          if (locus.alleleIdFormat === 'integer' && !/^\d+$/.test(alleleId))
            errors.push(`line ${lineNo}: ${column} allele id '${alleleId}' must be an integer`);
          else row.designations.push({ locus: column, alleleId });
        }
      } else if (column === 'id') {
        if (cell && !/^[1-9]\d{0,8}$/.test(cell)) errors.push(`line ${lineNo}: id must be a positive integer`);
        else if (cell) row.id = Number(cell);
      } else if (cell) {
        const checked = checkFieldValue(byName.get(column)!, cell);
        if ('error' in checked) errors.push(`line ${lineNo}: ${checked.error}`);
        else row.provenance[column] = checked.value;
      }
    });
    for (const field of fields) {
      if (field.required && !SYSTEM_NAMES.has(field.name) && row.provenance[field.name] === undefined)
        errors.push(`line ${lineNo}: ${field.name} is required`);
    }
    rows.push(row);
  }
  if (!header) throw new Error(`${file}: empty file`);
  if (errors.length)
    throw new Error(
      `${file}:\n  ${errors.slice(0, 20).join('\n  ')}${errors.length > 20 ? `\n  … and ${errors.length - 20} more` : ''}`,
    );
  return rows;
}

/** PostgreSQL's timestamp text, which BIGSdb's history returns. */
const historyTimestamp = () => new Date().toISOString().replace('T', ' ').replace('Z', '000');

/** Loads isolates tables (`npm run typing -- import-isolates`). */
@Injectable()
export class IsolateImporter {
  constructor(
    private readonly databases: DatabasesRepository,
    private readonly loci: LociRepository,
    private readonly isolates: IsolatesRepository,
    private readonly designations: AlleleDesignationsRepository,
    private readonly projects: ProjectsRepository,
    private readonly contigs: ContigImporter,
    private readonly catalogue: IsolateCatalogue,
  ) {}

  /** Loads an isolates file into an isolates database (created when missing). */
  async importIsolates(spec: IsolatesImport): Promise<IsolatesReport> {
    const started = Date.now();
    const seqdef = await this.databases.find(spec.seqdef);
    if (!seqdef || seqdef.type !== 'seqdef')
      throw new Error(`--seqdef ${spec.seqdef} is not a sequence definition database here (import its scheme first)`);
    const existingDb = await this.databases.find(spec.database);
    if (existingDb && existingDb.type !== 'isolates')
      throw new Error(`${spec.database} is a sequence definition database`);
    const fields = spec.fields ?? existingDb?.fields;
    if (!fields) throw new Error(`${spec.database} is new: give its provenance fields with --fields`);
    const loci = new Map((await this.loci.all(spec.seqdef)).map((l) => [l.id, l]));
    const rows = await parseIsolates(spec.file, fields, loci);

    await this.databases.saveIsolates(spec.database, {
      description: spec.description,
      group: spec.group,
      seqdef: spec.seqdef,
      fields,
    });
    const date = today();
    const report: IsolatesReport = {
      isolates: { seen: 0, inserted: 0, updated: 0 },
      designations: { inserted: 0 },
      contigs: { inserted: 0, bases: 0 },
      seconds: 0,
    };
    // What is there already comes from the catalogue (one read); what changes is written in batches.
    const catalogue = await this.catalogue.load((await this.databases.find(spec.database))!);
    const byName = new Map(catalogue.entries.map((e) => [String(e.provenance.isolate), e]));
    let nextId = (catalogue.lastId() ?? 0) + 1;
    const projectIds = new Map((await this.projects.list(spec.database)).map((p) => [p.description, p.id]));
    let nextProject = Math.max(0, ...projectIds.values()) + 1;
    const created: Isolate[] = [];
    const designations: AlleleDesignation[] = [];
    const assemblies: Array<{ id: number; path: string }> = [];
    /** Curation actions on isolates that were there before, by id. */
    const actionsOf = new Map<number, string[]>();

    for (const row of rows) {
      report.isolates.seen += 1;
      const name = String(row.provenance.isolate);
      const existing = row.id !== undefined ? catalogue.get(row.id) : byName.get(name);
      const projects: number[] = [];
      for (const description of row.projects) {
        if (!projectIds.has(description)) {
          await this.projects.ensure(spec.database, nextProject, description);
          projectIds.set(description, nextProject++);
        }
        projects.push(projectIds.get(description)!);
      }
      const id = existing?.id ?? row.id ?? nextId;
      nextId = Math.max(nextId, id + 1);
      const actions: string[] = [];
      let entry: CatalogueEntry;
      if (!existing) {
        const isolate: Isolate = {
          _id: isolateKey(spec.database, id),
          database: spec.database,
          id,
          provenance: row.provenance,
          aliases: row.aliases,
          publications: row.publications,
          projects,
          sender: spec.curator,
          curator: spec.curator,
          dateEntered: date,
          datestamp: date,
        };
        created.push(isolate);
        const { _id, database: _database, ...record } = isolate;
        entry = { ...record, designations: [] };
        catalogue.put(entry);
        byName.set(name, entry);
        report.isolates.inserted += 1;
      } else {
        entry = existing;
        const set: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(row.provenance)) {
          if (existing.provenance[field] !== value) {
            set[`provenance.${field}`] = value;
            actions.push(`${field}: '${existing.provenance[field] ?? ''}' -> '${value}'`);
          }
        }
        const added = <T>(now: T[], before: T[]) => now.filter((v) => !before.includes(v));
        const aliases = added(row.aliases, existing.aliases);
        const publications = added(row.publications, existing.publications);
        const newProjects = added(projects, existing.projects);
        for (const alias of aliases) actions.push(`new alias: '${alias}'`);
        for (const pmid of publications) actions.push(`new reference: 'Pubmed#${pmid}'`);
        for (const project of newProjects) actions.push(`added to project ${project}`);
        if (actions.length) {
          await this.isolates.update(
            isolateKey(spec.database, id),
            { ...set, datestamp: date, curator: spec.curator },
            { aliases: row.aliases, publications: row.publications, projects },
          );
          entry = {
            ...existing,
            provenance: { ...existing.provenance, ...row.provenance },
            aliases: [...existing.aliases, ...aliases],
            publications: [...existing.publications, ...publications],
            projects: [...existing.projects, ...newProjects],
            datestamp: date,
            curator: spec.curator,
          };
          catalogue.put(entry);
          byName.set(name, entry);
          report.isolates.updated += 1;
        }
        actionsOf.set(id, actions);
      }
      if (row.newVersionOf !== undefined && row.newVersionOf !== id) {
        await this.isolates.replace(isolateKey(spec.database, row.newVersionOf), id);
        const older = catalogue.get(row.newVersionOf);
        if (older && older.newVersion === undefined) catalogue.put({ ...older, newVersion: id });
      }
      const designated = new Set(entry.designations.map(([locus, alleleId]) => `${locus}\t${alleleId}`));
      for (const { locus, alleleId } of row.designations) {
        if (designated.has(`${locus}\t${alleleId}`)) continue;
        designated.add(`${locus}\t${alleleId}`);
        designations.push({
          _id: designationKey(spec.database, id, locus, alleleId),
          database: spec.database,
          isolateId: id,
          locus,
          alleleId,
          status: 'confirmed',
          method: 'manual',
          sender: spec.curator,
          curator: spec.curator,
          dateEntered: date,
          datestamp: date,
        });
        entry.designations.push([locus, alleleId, 'confirmed']);
        report.designations.inserted += 1;
        if (existing) actions.push(`${locus}: new designation '${alleleId}'`);
      }
      if (row.assembly)
        assemblies.push({
          id,
          path: isAbsolute(row.assembly) ? row.assembly : resolve(spec.contigsDir ?? dirname(spec.file), row.assembly),
        });
    }

    await this.isolates.insertMany(created);
    await this.designations.insertMany(designations);
    for (const { id, path } of assemblies) {
      const contigs = await this.contigs.storeContigs({
        database: spec.database,
        isolateId: id,
        file: path,
        curator: spec.curator,
      });
      report.contigs.inserted += contigs.inserted;
      report.contigs.bases += contigs.bases;
      const entry = catalogue.get(id)!;
      entry.sequenceBin = contigs.sequenceBin;
      if (actionsOf.has(id) && contigs.inserted)
        actionsOf.get(id)!.push(`${contigs.inserted} contig${contigs.inserted === 1 ? '' : 's'} added to sequence bin`);
    }
    const history = [...actionsOf].filter(([, actions]) => actions.length);
    await this.isolates.addHistoryMany(
      history.map(([isolateId, actions]) => ({
        database: spec.database,
        isolateId,
        curator: spec.curator,
        timestamp: historyTimestamp(),
        actions,
      })),
    );
    for (const [isolateId] of history) catalogue.get(isolateId)!.history = true;
    await this.catalogue.save(spec.database, catalogue);
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }
}
