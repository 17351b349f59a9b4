import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
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

/** Loads PubMLST schemes (`npm run typing -- import-scheme`). */
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
   * Loads a scheme into a seqdef database. Idempotent: rows are keyed by their natural ids and only inserted
   * when missing, so a re-import changes nothing. Streams every file; memory stays flat whatever their size.
   */
  async importScheme(spec: SchemeImport): Promise<ImportReport> {
    const started = Date.now();
    const files = await readdir(spec.directory);
    const lociFiles = files.filter((f) => f.endsWith('.tfa')).sort();
    const profilesFile = files.find((f) => f.endsWith('.txt') && f !== 'database_version.txt');
    if (!lociFiles.length) throw new Error(`no <locus>.tfa files in ${spec.directory}`);
    await this.databases.ensureSeqdef(spec.database, spec.description, spec.group);
    const date = today();
    const alleles = { seen: 0, inserted: 0 };
    const loci: string[] = [];
    for (const file of lociFiles) {
      const locus = basename(file, '.tfa');
      loci.push(locus);
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
      const written = await this.alleles.importMissing(spec.database, locus, rows());
      alleles.seen += written.seen;
      alleles.inserted += written.inserted;
      await this.loci.saveImported(spec.database, locus, min, max, written.inserted > 0);
    }
    const profiles = profilesFile
      ? await this.importProfiles(spec, join(spec.directory, profilesFile), loci, date)
      : { seen: 0, inserted: 0 };
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
    const profiles = await this.profiles.importMissing(spec.database, spec.schemeId, rows());
    if (profiles.inserted) await this.schemes.profilesAdded(spec.database, spec.schemeId);
    return profiles;
  }
}
