import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import {
  fastaId,
  readFasta,
  readFastaLines,
  SequenceBeforeHeaderError,
  textLines,
  TypingSubjects,
} from '@helixgate/contracts';
import type { BuiltinContext } from './builtins';

/**
 * The built-ins behind the analytics_automated jobs Helixgate ships: typing an assembly (mlst), assembly
 * statistics (fasta_stats) and a protein secondary-structure prediction in PSIPRED's file formats (psipred).
 */

const NOT_FASTA = 'the input is not FASTA: it does not start with a ">" header line';
const NO_RECORD = 'the input holds no FASTA record';

/** The input is not FASTA, in these jobs' words. */
function inJobTerms(error: unknown): unknown {
  return error instanceof SequenceBeforeHeaderError ? new Error(NOT_FASTA) : error;
}

/** The records of a FASTA text: the header's identifier (its first word) and the sequence, whitespace removed. */
export function fastaRecords(text: string): Array<{ id: string; sequence: string }> {
  try {
    const records = Array.from(readFastaLines(textLines(text)), ({ header, sequence }) => ({
      id: fastaId(header),
      sequence,
    }));
    if (!records.length) throw new Error(NO_RECORD);
    return records;
  } catch (error) {
    throw inJobTerms(error);
  }
}

async function firstInput(context: BuiltinContext): Promise<string> {
  const input = context.inputs[0];
  if (!input) throw new Error('the job was given no input file');
  return readFile(input.path, 'latin1');
}

/** Record lengths and base counts of FASTA records; assembly statistics at the end. */
export class AssemblyStatistics {
  private readonly lengths: number[] = [];
  private gc = 0;
  private acgt = 0;
  private ambiguous = 0;

  record(sequence: string): void {
    this.lengths.push(sequence.length);
    for (let i = 0; i < sequence.length; i++) {
      const c = sequence.charCodeAt(i) | 0x20; // lower case
      if (c === 0x67 || c === 0x63) {
        this.gc++;
        this.acgt++;
      } else if (c === 0x61 || c === 0x74) this.acgt++;
      else this.ambiguous++;
    }
  }

  /** Contigs, total length, N50, L50, GC content and the longest and shortest contig. */
  result() {
    if (!this.lengths.length) throw new Error(NO_RECORD);
    const lengths = [...this.lengths].sort((a, b) => b - a);
    const total = lengths.reduce((sum, n) => sum + n, 0);
    let running = 0;
    let n50 = 0;
    let l50 = 0;
    for (const length of lengths) {
      running += length;
      l50++;
      if (running * 2 >= total) {
        n50 = length;
        break;
      }
    }
    return {
      contigs: lengths.length,
      total_length: total,
      n50,
      l50,
      longest: lengths[0] ?? 0,
      shortest: lengths[lengths.length - 1] ?? 0,
      gc_percent: this.acgt ? Math.round((this.gc / this.acgt) * 10_000) / 100 : 0,
      ambiguous_bases: this.ambiguous,
    };
  }
}

/** Assembly statistics of FASTA text in memory. */
export function assemblyStatistics(text: string) {
  const stats = new AssemblyStatistics();
  try {
    for (const { sequence } of readFastaLines(textLines(text))) stats.record(sequence);
  } catch (error) {
    throw inJobTerms(error);
  }
  return stats.result();
}

/** The fasta_stats job: the input read line by line (memory for its longest record, whatever its size). */
export async function fastaStats(context: BuiltinContext): Promise<void> {
  const input = context.inputs[0];
  if (!input) throw new Error('the job was given no input file');
  const stats = new AssemblyStatistics();
  const lines = createInterface({ input: createReadStream(input.path, 'latin1'), crlfDelay: Infinity });
  try {
    for await (const { sequence } of readFasta(lines)) stats.record(sequence);
  } catch (error) {
    throw inJobTerms(error);
  }
  const result = stats.result();
  context.log(`${result.contigs} contigs, ${result.total_length} bp, N50 ${result.n50}, GC ${result.gc_percent} %`);
  await context.output(`${context.runId}.fasta_stats.json`, `${JSON.stringify(result, null, 2)}\n`);
  const columns = Object.keys(result) as Array<keyof typeof result>;
  await context.output(
    `${context.runId}.fasta_stats.tsv`,
    `${columns.join('\t')}\n${columns.map((c) => result[c]).join('\t')}\n`,
  );
}

/**
 * Types an assembly against a typing-db scheme over NATS: parameter `species` names the PubMLST seqdef database
 * (`pubmlst_<species>_seqdef`, as the site's own databases are named), `scheme` its scheme id (default 1, MLST).
 * Writes the profile as JSON and as a one-row TSV (sample, ST, then each locus's allele).
 */
export async function mlstTyping(context: BuiltinContext): Promise<void> {
  const species = context.parameters.species ?? '';
  if (!/^[A-Za-z0-9]{1,60}$/.test(species))
    throw new Error('the species parameter names a PubMLST database, e.g. sepidermidis');
  const database = `pubmlst_${species.toLowerCase()}_seqdef`;
  const schemeId = context.parameters.scheme || '1';
  const fasta = await readFile(context.inputs[0]?.path ?? '', 'latin1').catch(() => {
    throw new Error('the job was given no input file');
  });
  fastaRecords(fasta); // a clear error before typing-db is asked
  const body = JSON.stringify({ base64: true, sequence: Buffer.from(fasta, 'latin1').toString('base64') });
  const ref = await context.transfers.put(Readable.from([body]), body.length + 1, 'The assembly is too large to type.');
  context.log(`typing against ${database} scheme ${schemeId}`);
  const baseUri = context.metadata.baseUri ?? 'http://localhost';
  let reply: Record<string, unknown>;
  try {
    reply = await context.rpc.request(TypingSubjects.querySequence, {
      baseUri,
      database,
      target: { kind: 'scheme', schemeId },
      body: { ref },
    });
  } catch (error) {
    await context.transfers.remove(ref);
    throw error;
  }
  const exact = (reply.exact_matches ?? {}) as Record<string, Array<{ allele_id: string }>>;
  const fields = (reply.fields ?? {}) as Record<string, string>;
  const scheme = (await context.rpc.request(TypingSubjects.getScheme, { baseUri, database, schemeId })) as {
    loci?: string[];
  };
  const loci = (scheme.loci ?? Object.keys(exact)).map((uri) => uri.split('/').pop() ?? uri);
  const alleles = Object.fromEntries(
    loci.map((locus) => [locus, (exact[locus] ?? []).map((a) => a.allele_id).join(',') || '-']),
  );
  const profile = { database, scheme_id: schemeId, ST: fields.ST ?? null, fields, alleles, exact_matches: exact };
  context.log(`ST ${profile.ST ?? 'not found'}: ${loci.map((l) => `${l}(${alleles[l]})`).join(' ')}`);
  await context.output(`${context.runId}.mlst.json`, `${JSON.stringify(profile, null, 2)}\n`);
  const sample = (context.inputs[0]?.name ?? 'input').replace(/[\t\n\r]/g, ' ');
  await context.output(
    `${context.runId}.mlst.tsv`,
    `${['sample', 'database', 'ST', ...loci].join('\t')}\n${[sample, database, profile.ST ?? '-', ...loci.map((l) => alleles[l])].join('\t')}\n`,
  );
}

/** Chou and Fasman's helix and strand propensities (×100), per residue. */
const PROPENSITY: Record<string, [number, number]> = {
  A: [142, 83],
  R: [98, 93],
  N: [67, 89],
  D: [101, 54],
  C: [70, 119],
  Q: [111, 110],
  E: [151, 37],
  G: [57, 75],
  H: [100, 87],
  I: [108, 160],
  L: [121, 130],
  K: [114, 74],
  M: [145, 105],
  F: [113, 138],
  P: [57, 55],
  S: [77, 75],
  T: [83, 119],
  W: [108, 137],
  Y: [69, 147],
  V: [106, 170],
};

/**
 * A secondary-structure prediction from Chou-Fasman propensities averaged over a window of seven residues: helix
 * (H) where the helix average is above 1.03 and above the strand average, strand (E) where the strand average is
 * above 1.05, coil (C) otherwise, with coil/helix/strand scores in PSIPRED's .ss2 columns. It is not PSIPRED's
 * neural network; an operator with PSIPRED installed defines `psipred` as an executable job instead.
 */
export function predictSecondaryStructure(
  sequence: string,
): Array<{ residue: string; state: 'C' | 'H' | 'E'; coil: number; helix: number; strand: number }> {
  const residues = sequence.toUpperCase().replace(/[^A-Z]/g, '');
  return residues.split('').map((residue, i) => {
    let helix = 0;
    let strand = 0;
    let n = 0;
    for (let j = Math.max(0, i - 3); j <= Math.min(residues.length - 1, i + 3); j++) {
      const p = PROPENSITY[residues[j]] ?? [100, 100];
      helix += p[0];
      strand += p[1];
      n++;
    }
    helix /= n * 100;
    strand /= n * 100;
    const state = helix > 1.03 && helix >= strand ? 'H' : strand > 1.05 ? 'E' : 'C';
    // Scores in [0, 1] that sum to 1, from how far each average is above its threshold.
    const h = Math.exp(4 * (helix - 1.03));
    const e = Math.exp(4 * (strand - 1.05));
    const c = Math.exp(4 * (state === 'C' ? 0.1 : 0) - 0.2);
    const sum = h + e + c;
    return { residue, state, coil: c / sum, helix: h / sum, strand: e / sum };
  });
}

export async function secondaryStructure(context: BuiltinContext): Promise<void> {
  const records = fastaRecords(await firstInput(context));
  const prediction = predictSecondaryStructure(records[0].sequence);
  const ss2 = prediction.map(
    (p, i) =>
      `${String(i + 1).padStart(4)} ${p.residue} ${p.state}   ${p.coil.toFixed(3)}  ${p.helix.toFixed(3)}  ${p.strand.toFixed(3)}`,
  );
  await context.output(
    `${context.runId}.ss2`,
    `# PSIPRED VFORMAT (Helixgate Chou-Fasman prediction, not PSIPRED)\n\n${ss2.join('\n')}\n`,
  );
  const horiz: string[] = ['# PSIPRED HFORMAT (Helixgate Chou-Fasman prediction, not PSIPRED)', ''];
  for (let start = 0; start < prediction.length; start += 60) {
    const block = prediction.slice(start, start + 60);
    const confidence = block
      .map((p) => String(Math.min(9, Math.floor(Math.max(p.coil, p.helix, p.strand) * 10))))
      .join('');
    horiz.push(
      `Conf: ${confidence}`,
      `Pred: ${block.map((p) => p.state).join('')}`,
      `  AA: ${block.map((p) => p.residue).join('')}`,
      '',
    );
  }
  await context.output(`${context.runId}.horiz`, `${horiz.join('\n')}\n`);
  context.log(
    `${prediction.length} residues: ${prediction.filter((p) => p.state === 'H').length} helix, ${prediction.filter((p) => p.state === 'E').length} strand`,
  );
}
