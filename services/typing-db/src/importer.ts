import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isDuplicateKeyError } from '@helixgate/platform';
import { fastaRecords, lines } from './text-files';
import type { Model } from 'mongoose';
import {
  type Allele,
  alleleKey,
  type Profile,
  type ProfileByAlleles,
  profileByAllelesKey,
  profileKey,
  type TypingModels,
} from './models';

const BATCH = 1000;
export const sequenceDigest = (sequence: string) => createHash('sha256').update(sequence.toUpperCase()).digest('hex');
export const today = () => new Date().toISOString().slice(0, 10);
export const order = (id: string) => (/^\d+$/.test(id) ? Number(id) : Number.MAX_SAFE_INTEGER);

/**
 * Inserts the rows whose _id is not in `existing`, in batches. Rows another importer wrote meanwhile are
 * duplicates and skipped: the result is the same whoever wins.
 */
export async function insertMissing<T extends { _id: string }>(
  model: Model<T>,
  existing: Set<string>,
  rows: AsyncIterable<T>,
): Promise<{ seen: number; inserted: number }> {
  let batch: T[] = [];
  let seen = 0;
  let inserted = 0;
  const flush = async () => {
    if (!batch.length) return;
    try {
      inserted += (await model.insertMany(batch, { ordered: false, lean: true })).length;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      inserted += (error as { insertedDocs?: unknown[] }).insertedDocs?.length ?? 0;
    }
    batch = [];
  };
  for await (const row of rows) {
    seen += 1;
    if (existing.has(row._id)) continue;
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { seen, inserted };
}

export const idsOf = async (model: Model<{ _id: string }>, filter: object) =>
  new Set((await model.find(filter, { _id: 1 }).lean<Array<{ _id: string }>>()).map((row) => row._id));

/** Writes the allele-ids → profile lookup for every profile of a scheme that lacks it. */
async function indexProfilesByAlleles(models: TypingModels, database: string, schemeId: number) {
  const prefix = `${database}|${schemeId}|`;
  const existing = await idsOf(models.profilesByAlleles as unknown as Model<{ _id: string }>, {
    _id: { $regex: `^${prefix.replace(/[|]/g, '\\|')}` },
  });
  const cursor = models.profiles.find({ database, schemeId }, { profileId: 1, alleles: 1 }).lean<Profile>().cursor();
  async function* rows(): AsyncGenerator<ProfileByAlleles> {
    for await (const profile of cursor)
      yield { _id: profileByAllelesKey(database, schemeId, profile.alleles), profileId: profile.profileId };
  }
  await insertMissing(models.profilesByAlleles, existing, rows());
}

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

/**
 * Loads a scheme into a seqdef database. Idempotent: rows are keyed by their natural ids and only inserted
 * when missing, so a re-import changes nothing. Streams every file; memory stays flat whatever their size.
 */
export async function importScheme(models: TypingModels, spec: SchemeImport): Promise<ImportReport> {
  const started = Date.now();
  const files = await readdir(spec.directory);
  const lociFiles = files.filter((f) => f.endsWith('.tfa')).sort();
  const profilesFile = files.find((f) => f.endsWith('.txt') && f !== 'database_version.txt');
  if (!lociFiles.length) throw new Error(`no <locus>.tfa files in ${spec.directory}`);
  await models.databases.updateOne(
    { _id: spec.database },
    { $setOnInsert: { type: 'seqdef', description: spec.description, group: spec.group } },
    { upsert: true },
  );
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
        const row = {
          database: spec.database,
          locus,
          alleleId,
          order: order(alleleId),
          sequence,
          digest: sequenceDigest(sequence),
        };
        yield {
          _id: alleleKey(spec.database, locus, alleleId),
          ...row,
          status: 'Sanger trace checked',
          dateEntered: date,
          datestamp: date,
        };
      }
    }
    const existing = await idsOf(models.alleles as unknown as Model<{ _id: string }>, {
      database: spec.database,
      locus,
    });
    const written = await insertMissing(models.alleles, existing, rows());
    alleles.seen += written.seen;
    alleles.inserted += written.inserted;
    await models.loci.updateOne(
      { database: spec.database, id: locus },
      {
        $setOnInsert: { dataType: 'DNA', alleleIdFormat: 'integer' },
        $set: {
          lengthVaries: min !== max,
          minLength: min,
          maxLength: max,
          ...(written.inserted ? { version: Date.now() } : {}),
        },
      },
      { upsert: true },
    );
  }

  let profiles = { seen: 0, inserted: 0 };
  if (profilesFile) {
    let header: string[] | undefined;
    let schemeLoci: string[] = [];
    let extra: string[] = [];
    async function* rows(): AsyncGenerator<Profile> {
      for await (const line of lines(join(spec.directory, profilesFile!))) {
        if (!line.trim()) continue;
        const cells = line.split('\t').map((c) => c.trim());
        if (!header) {
          header = cells;
          schemeLoci = cells.slice(1).filter((c) => loci.includes(c));
          extra = cells.slice(1).filter((c) => !loci.includes(c));
          await models.schemes.updateOne(
            { database: spec.database, id: spec.schemeId },
            {
              $setOnInsert: {
                description: spec.schemeDescription,
                loci: schemeLoci,
                fields: [
                  { name: cells[0], type: 'integer', primaryKey: true },
                  ...extra.map((name) => ({ name, type: 'text' as const, primaryKey: false })),
                ],
              },
            },
            { upsert: true },
          );
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
    const existing = await idsOf(models.profiles as unknown as Model<{ _id: string }>, {
      database: spec.database,
      schemeId: spec.schemeId,
    });
    profiles = await insertMissing(models.profiles, existing, rows());
    await indexProfilesByAlleles(models, spec.database, spec.schemeId);
    if (profiles.inserted)
      await models.schemes.updateOne({ database: spec.database, id: spec.schemeId }, { $set: { version: Date.now() } });
  }
  return { loci: loci.length, alleles, profiles, seconds: (Date.now() - started) / 1000 };
}
