import { createHash } from 'node:crypto';
import { ASSEMBLY_METHODS, COVERAGES, READ_LENGTHS, SEQUENCING_TECHNOLOGIES, ServiceError } from '@helixgate/contracts';

/**
 * Pure checks of what a client submits, in BIGSdb's words (REST/Routes/Submissions.pm, SubmissionHandler.pm): the
 * allele submission's fields, the FASTA of its sequences, tab-separated profiles and isolates, file names, ids.
 */

/** A body value as text: strings as they are, numbers and booleans as Perl would print them; anything else is refused. */
export function text(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw ServiceError.badRequest(`Invalid value for ${key}.`);
}

/** "Required field(s) missing: a, b" when any of the keys is absent (BIGSdb tests `defined`, so "" is present). */
export function requireFields(body: Record<string, unknown>, keys: string[]): void {
  const missing = keys.filter((key) => text(body, key) === undefined).sort();
  if (missing.length) throw ServiceError.badRequest(`Required field(s) missing: ${missing.join(', ')}`);
}

const isPositiveInt = (value: string) => /^\d+$/.test(value) && Number(value) > 0;

export interface AlleleMetadata {
  locus: string;
  technology: string;
  readLength?: string;
  coverage?: string;
  assembly: string;
  software: string;
}

/** The allele submission's fields other than the sequences, checked as _prepare_allele_submission checks them. */
export function alleleMetadata(body: Record<string, unknown>): AlleleMetadata {
  requireFields(body, ['locus', 'technology', 'assembly', 'software', 'sequences']);
  const technology = text(body, 'technology')!;
  if (!(SEQUENCING_TECHNOLOGIES as readonly string[]).includes(technology)) {
    throw ServiceError.badRequest(
      `Invalid value for technology: ${technology}. Allowed values are: ${SEQUENCING_TECHNOLOGIES.join(', ')}`,
    );
  }
  const allowed = { read_length: READ_LENGTHS, coverage: COVERAGES } as const;
  const values: Record<string, string | undefined> = {};
  for (const field of ['read_length', 'coverage'] as const) {
    const value = text(body, field);
    if (value === undefined && technology === 'Illumina')
      throw ServiceError.badRequest(`${field} must be provided for ${technology} sequences.`);
    if (value !== undefined && !(allowed[field] as readonly string[]).includes(value) && !isPositiveInt(value)) {
      throw ServiceError.badRequest(
        `Invalid value for ${field}: ${value}. Allowed values are: ${allowed[field].join(', ')} or any positive integer.`,
      );
    }
    values[field] = value;
  }
  const assembly = text(body, 'assembly')!;
  if (!(ASSEMBLY_METHODS as readonly string[]).includes(assembly)) {
    throw ServiceError.badRequest(
      `Invalid value for assembly: ${assembly}. Allowed values are: ${ASSEMBLY_METHODS.join(', ')}.`,
    );
  }
  const software = text(body, 'software')!;
  if (software.length > 200) throw ServiceError.badRequest('Invalid value for software: at most 200 characters.');
  return {
    locus: text(body, 'locus')!,
    technology,
    readLength: values.read_length,
    coverage: values.coverage,
    assembly,
    software,
  };
}

export interface SubmittedSequence {
  seqId: string;
  sequence: string;
}

/** Most sequences one allele submission may hold, and the longest sequence. */
export const MAX_SEQUENCES = 5000;
export const MAX_SEQUENCE_LENGTH = 100_000;

/**
 * The `sequences` field: one raw sequence (named "seq") or FASTA, as _check_submitted_alleles reads it. The
 * identifier is the header's first word; gaps, dots and whitespace are removed. Errors are BIGSdb's.
 */
export function parseSequences(
  input: string,
  dataType: 'DNA' | 'peptide' = 'DNA',
): { sequences: SubmittedSequence[]; errors: string[] } {
  let fasta = input.replace(/\r\n?/g, '\n').replace(/^\s*/, '').replace(/\n\s*/g, '\n');
  if (!fasta.startsWith('>')) fasta = `>seq\n${fasta}`;
  const sequences: SubmittedSequence[] = [];
  const errors: string[] = [];
  const used = new Set<string>();
  const records = fasta.split(/\n>|^>/).filter((record, i) => i > 0 || record !== '');
  if (records.length > MAX_SEQUENCES)
    throw ServiceError.badRequest(`A submission may hold at most ${MAX_SEQUENCES} sequences.`);
  for (const record of records) {
    const newline = record.indexOf('\n');
    const header = newline < 0 ? record : record.slice(0, newline);
    const seqId = header.trim().split(/\s+/)[0] ?? '';
    const sequence = (newline < 0 ? '' : record.slice(newline + 1)).replace(/[-.\s]/g, '').toUpperCase();
    if (seqId === '') errors.push('Sequence identifier is missing.');
    if (used.has(seqId)) errors.push(`Sequence identifier "${seqId}" is used more than once in submission.`);
    used.add(seqId);
    if (!sequence) {
      errors.push(`Sequence identifier "${seqId}" does not have a valid sequence.`);
      continue;
    }
    if (dataType === 'DNA' ? !/^[ACGT]+$/.test(sequence) : !/^[ACDEFGHIKLMNPQRSTVWY*]+$/.test(sequence)) {
      errors.push(`Sequence "${seqId}" is not a valid unambiguous ${dataType === 'DNA' ? 'DNA' : 'peptide'} sequence.`);
    } else if (sequence.length > MAX_SEQUENCE_LENGTH) {
      errors.push(
        `Sequence "${seqId}" is longer than ${MAX_SEQUENCE_LENGTH} ${dataType === 'DNA' ? 'bp' : 'residues'}.`,
      );
    }
    sequences.push({ seqId, sequence });
  }
  return { sequences, errors };
}

/** typing-db's digest of a sequence: SHA-256 of the upper-cased text. */
export const sequenceDigest = (sequence: string) => createHash('sha256').update(sequence.toUpperCase()).digest('hex');

/** Most isolates (rows of an isolate or genome submission) or profiles one submission may hold. */
export const MAX_SUBMISSION_ROWS = 20_000;

/**
 * Tab-separated text: the header and the non-blank rows (trailing whitespace removed), as BIGSdb splits them. Read
 * line by line, so that more than `maxRows` rows are refused (400, "A submission may hold at most N <noun>.") before
 * they are all in memory.
 */
export function tabular(
  input: string,
  options: { maxRows?: number; noun?: string } = {},
): { header: string[]; rows: string[][] } {
  const { maxRows = MAX_SUBMISSION_ROWS, noun = 'rows' } = options;
  const normalized = input.replace(/\r\n?/g, '\n');
  let header: string[] | undefined;
  const rows: string[][] = [];
  for (let start = 0; start <= normalized.length;) {
    const end = normalized.indexOf('\n', start);
    const line = normalized.slice(start, end < 0 ? normalized.length : end).replace(/\s*$/, '');
    start = end < 0 ? normalized.length + 1 : end + 1;
    if (header === undefined) header = line.split('\t');
    else if (line !== '') {
      if (rows.length >= maxRows) throw ServiceError.badRequest(`A submission may hold at most ${maxRows} ${noun}.`);
      rows.push(line.split('\t'));
    }
  }
  return { header: header ?? [''], rows };
}

export interface SubmittedProfile {
  profileId: string;
  alleles: string[];
}

/**
 * check_new_profiles: a header naming every locus of the scheme (and optionally `id`), then one profile per row.
 * Returns the profiles in the scheme's locus order and BIGSdb's errors; whether alleles and profiles exist is asked
 * of typing-db afterwards.
 */
export function parseProfiles(input: string, loci: string[]): { profiles: SubmittedProfile[]; errors: string[] } {
  const { header: rawHeader, rows } = tabular(input, { noun: 'profiles' });
  const header = rawHeader.map((cell) => cell.replace(/\s/g, ''));
  const errors: string[] = [];
  const positions = new Map<string, number>();
  const duplicates: string[] = [];
  for (const locus of loci) {
    header.forEach((cell, i) => {
      if (cell !== locus) return;
      if (positions.has(locus)) duplicates.push(locus);
      positions.set(locus, i);
    });
  }
  const missing = loci.filter((locus) => !positions.has(locus));
  const plural = (list: string[]) => (list.length === 1 ? 'locus' : 'loci');
  if (missing.length) errors.push(`The header is missing a column for ${plural(missing)}: ${missing.join(', ')}.`);
  if (duplicates.length)
    errors.push(`The header has a duplicate column for ${plural(duplicates)}: ${duplicates.join(', ')}.`);
  if (errors.length) return { profiles: [], errors };
  const idColumn = header.indexOf('id');
  const profiles: SubmittedProfile[] = [];
  const ids = new Map<string, number>();
  rows.forEach((values, i) => {
    const clean = values.map((v) => v.trim().replace(/"/g, ''));
    const rowId = (idColumn >= 0 && clean[idColumn]) || `Row ${i + 1}`;
    ids.set(rowId, (ids.get(rowId) ?? 0) + 1);
    if (ids.get(rowId) === 2) errors.push(`${rowId}: Identifier exists more than once in submission.`);
    const alleles = loci.map((locus) => {
      const value = clean[positions.get(locus)!] ?? '';
      if (value === 'N') errors.push(`${rowId}: Arbitrary values (N) are not allowed for locus ${locus}.`);
      else if (value === '') errors.push(`${rowId}: No value for locus ${locus}.`);
      else if (value.length > 100) {
        errors.push(`${rowId}: The value for locus ${locus} is too long.`);
        return '';
      }
      return value;
    });
    profiles.push({ profileId: rowId, alleles });
  });
  if (!errors.length && !profiles.length) errors.push('No profiles in upload.');
  return { profiles, errors };
}

/** The longest file name kept (bytes of UTF-8), as common file systems allow. */
export const MAX_FILENAME_BYTES = 255;

/**
 * Why a client's file name is refused, or undefined when it is fine. Names are only ever keys in the database, never
 * paths; still, the ones BIGSdb would have written outside the submission's folder, or hidden, are refused.
 */
export function fileNameProblem(name: string): string | undefined {
  if (Buffer.byteLength(name) > MAX_FILENAME_BYTES)
    return `Filename is too long (at most ${MAX_FILENAME_BYTES} bytes).`;
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(name) || name.includes('..') || name.startsWith('.') || name.trim() !== name)
    return 'Filename contains invalid characters.';
  return undefined;
}

/** BIGSdb's submission id: BIGSdb_<local time YYYYMMDDhhmmss>_<process id>_<random number below 100000>. */
export function submissionId(now: Date, pid: number, random: number): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `BIGSdb_${stamp}_${pid}_${pad(Math.floor(random * 100_000) % 100_000, 5)}`;
}

/** Today (UTC) as BIGSdb's date columns: YYYY-MM-DD. */
export const today = () => new Date().toISOString().slice(0, 10);

/** PostgreSQL's timestamptz text: with microseconds (the record's correspondence) or cut to the second (messages). */
export function pgTimestamp(date: Date, toSecond: boolean): string {
  const iso = date.toISOString(); // 2015-10-13T08:18:36.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${toSecond ? '' : `.${iso.slice(20, 23)}000`}+00`;
}
