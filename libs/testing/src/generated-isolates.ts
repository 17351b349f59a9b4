import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pubmlstSchemeDir } from './typing-data';
import type { Stack } from './stack';

/** One line of a generated isolates.tsv, by column name. */
export type GeneratedIsolate = Record<string, string>;

export interface GeneratedIsolatesDatabase {
  /** The isolates.tsv and fields.json, for import-isolates. */
  file: string;
  fields: string;
  loci: string[];
  /** The rows written, in file order: isolate id N (in a new database) is rows[N - 1]. */
  rows: GeneratedIsolate[];
  /** ST and clonal complex of each profile of the scheme the alleles came from, by allele ids joined with tabs. */
  profiles: Map<string, { ST: string; clonal_complex?: string }>;
}

/** A tab-separated table with a header line, read as records. */
export function readTable(file: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const columns = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

/**
 * A large made-up isolates database of the neisseria scheme's profiles, written by typing-db's own
 * `generate-isolates` command (the one a user runs) into `dir`, with what a test checks the API against.
 */
export async function generateIsolates(
  stack: Pick<Stack, 'cli'>,
  spec: { count: number; seed: number; dir: string },
): Promise<GeneratedIsolatesDatabase> {
  const profilesFile = join(pubmlstSchemeDir('neisseria'), 'neisseria.txt');
  const report = (await stack.cli('typing-db', [
    'generate-isolates',
    '--count',
    String(spec.count),
    '--seed',
    String(spec.seed),
    '--profiles',
    profilesFile,
    '--out',
    spec.dir,
  ])) as { file: string; fields: string; loci: string[] };
  const profiles = new Map<string, { ST: string; clonal_complex?: string }>();
  for (const row of readTable(profilesFile))
    profiles.set(report.loci.map((l) => row[l]).join('\t'), { ST: row.ST, clonal_complex: row.clonal_complex });
  return { ...report, rows: readTable(report.file), profiles };
}
