import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { lines } from '../importers/text-files';

/**
 * A large isolates database made up from a scheme's real profiles (`npm run typing -- generate-isolates`), written
 * as the isolates.tsv and fields.json that `import-isolates` reads, so a test or a benchmark loads it the way a
 * user loads theirs. The same count, seed and profiles file give the same bytes on every machine.
 */

/** sfc32, seeded through splitmix32: uniform in [0, 1), the same sequence everywhere for a seed. */
function generatorRandom(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let [a, b, c, d] = [split(), split(), split(), split()];
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 2 ** 32;
  };
}

const COUNTRIES: Array<[country: string, continent: string]> = [
  ['UK', 'Europe'],
  ['France', 'Europe'],
  ['Germany', 'Europe'],
  ['Czech Republic', 'Europe'],
  ['The Gambia', 'Africa'],
  ['Burkina Faso', 'Africa'],
  ['Niger', 'Africa'],
  ['South Africa', 'Africa'],
  ['USA', 'North America'],
  ['Canada', 'North America'],
  ['Brazil', 'South America'],
  ['Chile', 'South America'],
  ['China', 'Asia'],
  ['Japan', 'Asia'],
  ['India', 'Asia'],
  ['New Zealand', 'Oceania'],
  ['Australia', 'Oceania'],
];
const SPECIES = ['Neisseria meningitidis', 'Neisseria gonorrhoeae', 'Neisseria lactamica'];
const SEROGROUPS = ['A', 'B', 'C', 'E', 'W', 'X', 'Y', 'Z', 'cnl', 'NG'];
const SOURCES = ['invasive (unspecified/other)', 'blood', 'cerebrospinal fluid', 'carrier', 'throat swab'];
const PROJECTS = Array.from({ length: 12 }, (_, i) => `Generated project ${i + 1}`);

/** The provenance fields of a generated database: text, int and date fields, some with allowed values. */
export const GENERATED_FIELDS = [
  { name: 'isolate', type: 'text', required: true, length: 100, comments: 'isolate name' },
  { name: 'species', type: 'text', required: true, allowed_values: SPECIES },
  { name: 'serogroup', type: 'text', required: false, allowed_values: SEROGROUPS, comments: 'capsular group' },
  { name: 'country', type: 'text', required: false, length: 60 },
  {
    name: 'continent',
    type: 'text',
    required: false,
    allowed_values: [...new Set(COUNTRIES.map(([, c]) => c))].sort(),
  },
  { name: 'year', type: 'int', required: false, min: 1900, max: 2100 },
  { name: 'date_sampled', type: 'date', required: false },
  { name: 'source', type: 'text', required: false, length: 100 },
  { name: 'comments', type: 'text', required: false, length: 500 },
];

export interface IsolatesGeneration {
  count: number;
  seed: number;
  /** A PubMLST profiles table (ST, loci…, extra columns): each isolate gets one of its profiles' alleles. */
  profiles: string;
  /** Folder the isolates.tsv and fields.json are written to (created when missing). */
  out: string;
}

export interface GeneratedIsolates {
  isolates: number;
  loci: string[];
  file: string;
  fields: string;
  seed: number;
}

/** A scheme's profiles table: its loci and each profile's allele ids. */
async function readProfiles(file: string): Promise<{ loci: string[]; alleles: string[][] }> {
  let loci: string[] | undefined;
  const alleles: string[][] = [];
  for await (const line of lines(file)) {
    if (!line.trim()) continue;
    const cells = line.split('\t').map((c) => c.trim());
    if (!loci) {
      // ST, then the loci up to the first column that is not a locus (clonal_complex, species, lineage…).
      const extra = cells.findIndex((c, i) => i > 0 && /^(clonal_complex|species|lineage|mlst_clade|CC)$/i.test(c));
      loci = cells.slice(1, extra === -1 ? undefined : extra);
      continue;
    }
    alleles.push(cells.slice(1, 1 + loci.length));
  }
  if (!loci?.length || !alleles.length) throw new Error(`${file}: not a profiles table (ST, loci…)`);
  return { loci, alleles };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Writes the isolates.tsv and fields.json of `count` made-up isolates. */
export async function generateIsolates(spec: IsolatesGeneration): Promise<GeneratedIsolates> {
  const { loci, alleles } = await readProfiles(spec.profiles);
  const random = generatorRandom(spec.seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  await mkdir(spec.out, { recursive: true });
  const fields = join(spec.out, 'fields.json');
  await writeFile(fields, `${JSON.stringify(GENERATED_FIELDS, null, 2)}\n`);
  const file = join(spec.out, 'isolates.tsv');
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const columns = [...GENERATED_FIELDS.map((f) => f.name), 'aliases', 'references', 'projects', ...loci];
  await write(`${columns.join('\t')}\n`);
  const width = String(spec.count).length;
  for (let i = 1; i <= spec.count; i += 1) {
    const [country, continent] = pick(COUNTRIES);
    const year = 1960 + Math.floor(random() * 66);
    const sampled =
      random() < 0.6 ? `${year}-${pad(1 + Math.floor(random() * 12), 2)}-${pad(1 + Math.floor(random() * 28), 2)}` : '';
    const aliasCount = Math.floor(random() * 3);
    const aliases = Array.from({ length: aliasCount }, (_, k) => `G${spec.seed}-${pad(i, width)}${'abc'[k]}`);
    const references = random() < 0.3 ? [10_000_000 + Math.floor(random() * 500)] : [];
    const projects = random() < 0.4 ? [pick(PROJECTS)] : [];
    const values = [
      `G${spec.seed}-${pad(i, width)}`,
      random() < 0.9 ? SPECIES[0] : pick(SPECIES),
      random() < 0.8 ? pick(SEROGROUPS) : '',
      random() < 0.9 ? country : '',
      random() < 0.9 ? continent : '',
      random() < 0.95 ? String(year) : '',
      sampled,
      pick(SOURCES),
      random() < 0.1 ? `generated isolate ${i}` : '',
      aliases.join(';'),
      references.join(';'),
      projects.join(';'),
      ...pick(alleles),
    ];
    await write(`${values.join('\t')}\n`);
  }
  out.end();
  await once(out, 'finish');
  return { isolates: spec.count, loci, file, fields, seed: spec.seed };
}
