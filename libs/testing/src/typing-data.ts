import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './infrastructure';
import type { Stack } from './stack';

/** Allele ids BIGSdb keeps for deleted, missing and present alleles; never typed against. */
const NOT_TYPED = new Set(['0', 'N', 'P']);

/**
 * A PubMLST scheme folder (`<locus>.tfa`, headers `>{locus}_{id}`) read without Helixgate's own importer, so
 * tests and benchmarks check the engine against the files themselves: loci in name order, alleles in file order
 * (the order a BLAST database made from the files has), ids 0, N and P left out, sequences upper-cased.
 */
export function readPubmlstScheme(
  dir: string,
): Array<{ name: string; alleles: Array<{ id: string; sequence: string }> }> {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.tfa'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.tfa'.length);
      const alleles: Array<{ id: string; sequence: string }> = [];
      for (const record of readFileSync(join(dir, file), 'latin1').split('>').slice(1)) {
        const newline = record.indexOf('\n');
        const header = record.slice(0, newline).trim();
        if (!header.startsWith(`${name}_`)) throw new Error(`header ${header} in ${file} is not ${name}_<id>`);
        const id = header.slice(name.length + 1);
        if (!NOT_TYPED.has(id))
          alleles.push({
            id,
            sequence: record
              .slice(newline + 1)
              .replace(/\s+/g, '')
              .toUpperCase(),
          });
      }
      return { name, alleles };
    });
}

/** mulberry32: a small deterministic PRNG, uniform in [0, 1), so generated data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A PubMLST scheme folder of ../shared/data/pubmlst: `sepidermidis`, `saureus`, `neisseria`. */
export const pubmlstSchemeDir = (species: string): string =>
  join(repoRoot(), '..', 'shared', 'data', 'pubmlst', species);

/** Imports a PubMLST scheme folder of ../shared/data into a stack's typing-db, by typing-db's command line. */
export async function importPubmlstScheme(stack: Pick<Stack, 'cli'>, species: string, database: string): Promise<void> {
  await stack.cli('typing-db', [
    'import-scheme',
    '--database',
    database,
    '--dir',
    pubmlstSchemeDir(species),
    '--group',
    species,
  ]);
}
