import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DatabaseNameSchema } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { AllelesRepository } from '../alleles/alleles.repository';
import { type Allele, alleleKey } from '../alleles/alleles.schema';
import { order, sequenceDigest, today } from '../common/records';
import { DatabasesRepository } from '../databases/databases.repository';
import { LociRepository } from '../loci/loci.repository';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { type Profile, profileKey } from '../profiles/profiles.schema';
import { SchemesRepository } from '../schemes/schemes.repository';
import { fastaRecords, lines } from './text-files';

export interface SchemeImport {
  database: string;
  description: string;
  group: { name: string; description: string };
  schemeId: number;
  schemeDescription: string;
  /** PubMLST's distribution layout: <locus>.tfa files and one profiles .txt (ST, loci…, other fields). */
  directory: string;
}

export interface ImportReport {
  loci: number;
  alleles: { seen: number; inserted: number };
  profiles: { seen: number; inserted: number };
  seconds: number;
}

/** A folder of scheme folders (`npm run typing -- import-schemes`), each loaded as pubmlst_<folder>_seqdef. */
export interface SchemeFolderImport {
  directory: string;
  /** Told of each scheme as it is done, in the order they finish. */
  onScheme?: (progress: SchemeProgress) => void;
}

export interface SchemeProgress {
  folder: string;
  database: string;
  done: number;
  total: number;
  /** What the import did; absent when the scheme's files were unchanged and nothing was read. */
  report?: ImportReport;
}

export interface SchemeFolderReport {
  schemes: number;
  imported: number;
  unchanged: number;
  loci: number;
  alleles: { seen: number; inserted: number };
  profiles: { seen: number; inserted: number };
  seconds: number;
}

/**
 * Schemes loaded at once by import-schemes. An import mostly waits for its inserts, and the store takes several
 * batches at once better than one after another: on FerretDB over PostgreSQL (2 CPUs) 2-4 insertMany calls in flight
 * wrote 20-50% more rows a second than one.
 */
const SCHEMES_AT_ONCE = 3;

/** Bumped when the importer writes differently, so that every scheme is imported again once. */
const FINGERPRINT_FORMAT = 1;

/**
 * What an import of a scheme folder depends on: what it was asked to do, and each file's name, size and modification
 * time. Only the folder is listed and its files looked at (stat), none read, so an unchanged scheme costs next to
 * nothing to recognise.
 */
async function sourceFingerprint(spec: SchemeImport): Promise<string> {
  const names = (await readdir(spec.directory)).sort();
  const files = await Promise.all(
    names.map(async (name) => {
      const { size, mtimeMs } = await stat(join(spec.directory, name));
      return [name, size, mtimeMs];
    }),
  );
  const { directory: _directory, ...asked } = spec;
  return createHash('sha256')
    .update(JSON.stringify({ format: FINGERPRINT_FORMAT, asked, files }))
    .digest('hex');
}

/** Loads PubMLST schemes (`npm run typing -- import-scheme` and `import-schemes`). */
@Injectable()
export class SchemeImporter {
  constructor(
    private readonly databases: DatabasesRepository,
    private readonly loci: LociRepository,
    private readonly alleles: AllelesRepository,
    private readonly schemes: SchemesRepository,
    private readonly profiles: ProfilesRepository,
  ) {}

  /**
   * Loads a scheme into a seqdef database. Idempotent: rows are keyed by their natural ids and inserted unless their
   * key is taken, so a re-import changes nothing. Streams every file; memory stays flat whatever their size.
   */
  async importScheme(spec: SchemeImport): Promise<ImportReport> {
    return this.load(spec, await sourceFingerprint(spec));
  }

  /**
   * Loads every scheme folder of a directory (PubMLST's layout, e.g. a snapshot of all its schemes) in one process:
   * folder F as database pubmlst_F_seqdef, its profiles as scheme 1 "MLST", in the resource group F (as `npm start`
   * loads its default site). A scheme whose files are unchanged since its last complete import is skipped, and the
   * cost of one does not grow with the schemes already loaded: nothing is read from the alleles or profiles stores.
   * Every folder is checked before anything is written: a folder name that cannot be a database name, or a folder
   * with no <locus>.tfa files, is an error naming them all (a name is never changed into another: two folders would
   * become one database, and a URL would not be the folder's). Files beside the folders (scheme_species_map.tab) and
   * hidden entries are left alone.
   */
  async importSchemes(spec: SchemeFolderImport): Promise<SchemeFolderReport> {
    const started = Date.now();
    const names = (await readdir(spec.directory)).filter((name) => !name.startsWith('.')).sort();
    // stat, not the directory entry's type: a scheme folder may be a symbolic link to one.
    const isFolder = await Promise.all(
      names.map(async (name) => (await stat(join(spec.directory, name))).isDirectory()),
    );
    const entries = names.filter((_, i) => isFolder[i]);
    const folders = await Promise.all(entries.map((folder) => this.schemeFolder(spec.directory, folder)));
    const problems = folders.flatMap((folder) => (folder.problem ? [folder.problem] : []));
    if (problems.length) throw new Error(`${spec.directory}: ${problems.join('; ')}`);
    if (!folders.length) throw new Error(`no scheme folders in ${spec.directory}`);

    const report: SchemeFolderReport = {
      schemes: folders.length,
      imported: 0,
      unchanged: 0,
      loci: 0,
      alleles: { seen: 0, inserted: 0 },
      profiles: { seen: 0, inserted: 0 },
      seconds: 0,
    };
    const queue = [...folders];
    let done = 0;
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { folder, scheme } = next;
        const fingerprint = await sourceFingerprint(scheme);
        const unchanged = (await this.schemes.sourceFingerprint(scheme.database, scheme.schemeId)) === fingerprint;
        const imported = unchanged
          ? undefined
          : await this.load(scheme, fingerprint).catch((error: unknown) => {
              // The others finish the scheme they are loading and start no other; the error names the folder.
              queue.length = 0;
              throw new Error(`${folder}: ${error instanceof Error ? error.message : String(error)}`);
            });
        if (imported) {
          report.imported += 1;
          report.loci += imported.loci;
          for (const part of ['alleles', 'profiles'] as const) {
            report[part].seen += imported[part].seen;
            report[part].inserted += imported[part].inserted;
          }
        } else report.unchanged += 1;
        done += 1;
        spec.onScheme?.({ folder, database: scheme.database, done, total: folders.length, report: imported });
      }
    };
    const workers = await Promise.allSettled(Array.from({ length: Math.min(SCHEMES_AT_ONCE, folders.length) }, worker));
    const failed = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }

  /** A folder of import-schemes: the import it makes, or what is wrong with it. */
  private async schemeFolder(directory: string, folder: string) {
    const database = `pubmlst_${folder}_seqdef`;
    const scheme: SchemeImport = {
      database,
      description: `${folder} sequence/profile definitions`,
      group: { name: folder, description: folder },
      schemeId: 1,
      schemeDescription: 'MLST',
      directory: join(directory, folder),
    };
    let problem: string | undefined;
    if (!DatabaseNameSchema.safeParse(database).success)
      problem = `folder "${folder}" does not make a database name (${database}: letters, digits, _ and - only, at most 100); rename it or load it with import-scheme --database`;
    else if (!(await readdir(scheme.directory)).some((file) => file.endsWith('.tfa')))
      problem = `folder "${folder}" has no <locus>.tfa files`;
    return { folder, scheme, problem };
  }

  /** Imports a scheme folder, then records the fingerprint its files had before they were read. */
  private async load(spec: SchemeImport, fingerprint: string): Promise<ImportReport> {
    const started = Date.now();
    const files = await readdir(spec.directory);
    const lociFiles = files.filter((f) => f.endsWith('.tfa')).sort();
    const profilesFile = files.find((f) => f.endsWith('.txt') && f !== 'database_version.txt');
    if (!lociFiles.length) throw new Error(`no <locus>.tfa files in ${spec.directory}`);
    await this.databases.ensureSeqdef(spec.database, spec.description, spec.group);
    const date = today();
    const alleles = { seen: 0, inserted: 0 };
    const loci: Array<{ id: string; minLength: number; maxLength: number; changed: boolean }> = [];
    for (const file of lociFiles) {
      const locus = basename(file, '.tfa');
      let min = Infinity;
      let max = 0;
      async function* rows(): AsyncGenerator<Allele> {
        for await (const { header, sequence } of fastaRecords(join(spec.directory, file))) {
          const alleleId = header.startsWith(`${locus}_`)
            ? header.slice(locus.length + 1)
            : header.slice(header.lastIndexOf('_') + 1);
          min = Math.min(min, sequence.length);
          max = Math.max(max, sequence.length);
          yield {
            _id: alleleKey(spec.database, locus, alleleId),
            database: spec.database,
            locus,
            alleleId,
            order: order(alleleId),
            sequence,
            digest: sequenceDigest(sequence),
            status: 'Sanger trace checked',
            dateEntered: date,
            datestamp: date,
          };
        }
      }
      const written = await this.alleles.importMissing(rows());
      alleles.seen += written.seen;
      alleles.inserted += written.inserted;
      loci.push({ id: locus, minLength: min, maxLength: max, changed: written.inserted > 0 });
    }
    await this.loci.saveImported(spec.database, loci);
    const profiles = profilesFile
      ? await this.importProfiles(
          spec,
          join(spec.directory, profilesFile),
          loci.map((l) => l.id),
          date,
        )
      : { seen: 0, inserted: 0 };
    await this.schemes.imported(spec.database, spec.schemeId, fingerprint);
    return { loci: loci.length, alleles, profiles, seconds: (Date.now() - started) / 1000 };
  }

  /** The profiles file: a header (the primary key, loci, other fields), then one profile a line. */
  private async importProfiles(spec: SchemeImport, path: string, loci: string[], date: string) {
    let header: string[] | undefined;
    let schemeLoci: string[] = [];
    let extra: string[] = [];
    const schemes = this.schemes;
    async function* rows(): AsyncGenerator<Profile> {
      for await (const line of lines(path)) {
        if (!line.trim()) continue;
        const cells = line.split('\t').map((c) => c.trim());
        if (!header) {
          header = cells;
          schemeLoci = cells.slice(1).filter((c) => loci.includes(c));
          extra = cells.slice(1).filter((c) => !loci.includes(c));
          await schemes.ensure(spec.database, spec.schemeId, {
            description: spec.schemeDescription,
            loci: schemeLoci,
            fields: [
              { name: cells[0], type: 'integer', primaryKey: true },
              ...extra.map((name) => ({ name, type: 'text' as const, primaryKey: false })),
            ],
          });
          continue;
        }
        const row = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
        const profileId = row[header[0]];
        const fields: Record<string, string | number> = { [header[0]]: Number(profileId) };
        for (const name of extra) if (row[name]) fields[name] = row[name];
        yield {
          _id: profileKey(spec.database, spec.schemeId, profileId),
          database: spec.database,
          schemeId: spec.schemeId,
          profileId,
          order: order(profileId),
          alleles: schemeLoci.map((l) => row[l]),
          fields,
          dateEntered: date,
          datestamp: date,
        };
      }
    }
    const profiles = await this.profiles.importMissing(rows());
    if (profiles.inserted) await this.schemes.profilesAdded(spec.database, spec.schemeId);
    return profiles;
  }
}
