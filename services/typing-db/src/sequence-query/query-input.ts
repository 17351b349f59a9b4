import { ServiceError } from '@helixgate/contracts';

/** One record of a query: its id (the first word of the FASTA header, as BLAST reports it) and upper-case bases. */
export interface QueryContig {
  id: string;
  bases: Uint8Array;
}

export interface ParsedQuery {
  /** Records in input order. Raw input (no header) is one record named "Query", as BIGSdb names it. */
  contigs: QueryContig[];
  /** True when the input came as raw sequence: BIGSdb then leaves `contig` out of match details. */
  raw: boolean;
  /** BIGSdb's rule: DNA when at least 80% of the characters are A, C, G, T, U or N. */
  dna: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/**
 * What each byte of a sequence line becomes: its upper-case letter (U as T), IGNORED for whitespace and gap
 * characters, INVALID for anything that is not an IUPAC letter or '*' (stop).
 */
const IGNORED = 0;
const INVALID = 1;
const NORMALISED = new Uint8Array(256).fill(INVALID);
for (const c of ' \t\r\n\v\f-.') NORMALISED[c.charCodeAt(0)] = IGNORED;
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
  const upper = c === 'U' ? 0x54 : c.charCodeAt(0);
  NORMALISED[c.charCodeAt(0)] = upper;
  NORMALISED[c.toLowerCase().charCodeAt(0)] = upper;
}
NORMALISED[0x2a] = 0x2a;
/** Bytes BIGSdb counts towards calling a sequence DNA: A, C, G, T, U and N (after normalising). */
const DNA_LIKE = new Uint8Array(256);
for (const c of 'ACGTN') DNA_LIKE[c.charCodeAt(0)] = 1;
const isBlank = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** Copies a sequence line's bases, normalised, to out at length; the new length, or -(position + 1) of a bad byte. */
function copyLine(input: Uint8Array, from: number, to: number, out: Uint8Array, length: number): number {
  for (let i = from; i < to; i++) {
    const upper = NORMALISED[input[i]];
    if (upper > INVALID) out[length++] = upper;
    else if (upper === INVALID) return -(i + 1);
  }
  return length;
}

function countDnaLike(bases: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bases.length; i++) count += DNA_LIKE[bases[i]];
  return count;
}

/** Decodes base64 strictly: Node's decoder skips anything it does not know, which would hide a broken upload. */
export function decodeBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw ServiceError.badRequest(
      'Sequence is not valid base64: it must be a base64-encoded FASTA file when base64 is set.',
    );
  }
  return Buffer.from(compact, 'base64');
}

/**
 * Reads the `sequence` of a query as BIGSdb does (Loci.pm / Schemes.pm, research section 3): a FASTA file when it
 * starts with '>', otherwise one raw sequence; whitespace and '-' are dropped, U becomes T, case is ignored.
 * Errors are BIGSdb's 400 texts, with the record named where that helps.
 */
export function parseQuery(input: Buffer, maxRecords?: number): ParsedQuery {
  let at = 0;
  while (at < input.length && isBlank(input[at])) at++;
  if (at >= input.length) throw ServiceError.badRequest('Required field missing: sequence.');
  const raw = input[at] !== 0x3e; // '>'
  const contigs: QueryContig[] = [];
  const out = Buffer.allocUnsafe(input.length - at);
  let length = 0;
  let id = 'Query';
  let started = raw;
  let dnaLike = 0;
  let total = 0;
  const close = () => {
    if (!started) return;
    if (length === 0)
      throw ServiceError.badRequest(`Sequence is not a valid FASTA file: record ${id} has no sequence.`);
    contigs.push({ id, bases: Uint8Array.prototype.slice.call(out, 0, length) });
    total += length;
    length = 0;
  };
  let lineNumber = 0;
  while (at < input.length) {
    let end = input.indexOf(0x0a, at);
    if (end < 0) end = input.length;
    lineNumber++;
    if (input[at] === 0x3e) {
      close();
      if (maxRecords !== undefined && contigs.length >= maxRecords) {
        throw ServiceError.payloadTooLarge(`Query contains too many sequences - limit is ${maxRecords}.`);
      }
      const header = input.toString('utf8', at + 1, end).trim();
      id = header.split(/\s+/)[0] || `record_${contigs.length + 1}`;
      started = true;
    } else {
      const copied = copyLine(input, at, end, out, length);
      if (copied < 0) {
        const c = input[-copied - 1];
        throw ServiceError.badRequest(
          `Sequence is not a valid FASTA file: line ${lineNumber} has the character ${JSON.stringify(String.fromCharCode(c))}, which is not a nucleotide or amino acid.`,
        );
      }
      length = copied;
    }
    at = end + 1;
  }
  close();
  if (contigs.length === 0) throw ServiceError.badRequest('Sequence is not a valid FASTA file.');
  for (const contig of contigs) dnaLike += countDnaLike(contig.bases);
  return { contigs, raw, dna: dnaLike >= 0.8 * total };
}

/** The `sequence` a client sent, as bytes: decoded from base64 when asked (BIGSdb: the result must then be FASTA). */
export function readQuerySequence(sequence: unknown, base64: boolean, maxRecords?: number): ParsedQuery {
  if (sequence === undefined || sequence === null || sequence === '')
    throw ServiceError.badRequest('Required field missing: sequence.');
  if (typeof sequence !== 'string') throw ServiceError.badRequest('Sequence must be a string.');
  if (!base64) return parseQuery(Buffer.from(sequence, 'utf8'), maxRecords);
  const decoded = decodeBase64(sequence);
  let first = 0;
  while (first < decoded.length && isBlank(decoded[first])) first++;
  if (first >= decoded.length) throw ServiceError.badRequest('Required field missing: sequence.');
  if (decoded[first] !== 0x3e) throw ServiceError.badRequest('Sequence is not a valid FASTA file.');
  return parseQuery(decoded, maxRecords);
}
