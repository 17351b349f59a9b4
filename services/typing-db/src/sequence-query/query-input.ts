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
/** Characters a sequence line may hold once whitespace and gap characters are gone: IUPAC letters and '*' (stop). */
const SEQUENCE_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*') SEQUENCE_CHAR[c.charCodeAt(0)] = 1;
const IGNORED_CHAR = new Uint8Array(256);
for (const c of ' \t\r\n\v\f-.') IGNORED_CHAR[c.charCodeAt(0)] = 1;

/** Decodes base64 strictly: Node's decoder skips anything it does not know, which would hide a broken upload. */
export function decodeBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw ServiceError.badRequest('Sequence is not valid base64: it must be a base64-encoded FASTA file when base64 is set.');
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
  while (at < input.length && IGNORED_CHAR[input[at]] && input[at] !== 0x2d) at++;
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
    if (length === 0) throw ServiceError.badRequest(`Sequence is not a valid FASTA file: record ${id} has no sequence.`);
    contigs.push({ id, bases: Uint8Array.prototype.slice.call(out, 0, length) });
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
      for (let i = at; i < end; i++) {
        const c = input[i];
        if (IGNORED_CHAR[c]) continue;
        if (!SEQUENCE_CHAR[c]) {
          throw ServiceError.badRequest(
            `Sequence is not a valid FASTA file: line ${lineNumber} has the character ${JSON.stringify(String.fromCharCode(c))}, which is not a nucleotide or amino acid.`,
          );
        }
        let upper = c & 0xdf; // ASCII upper case for letters; '*' is not a letter and stays as it is
        if (c === 0x2a) upper = c;
        if (upper === 0x55) upper = 0x54; // U -> T
        if (upper === 0x41 || upper === 0x43 || upper === 0x47 || upper === 0x54 || upper === 0x4e) dnaLike++;
        total++;
        out[length++] = upper;
      }
    }
    at = end + 1;
  }
  close();
  if (contigs.length === 0) throw ServiceError.badRequest('Sequence is not a valid FASTA file.');
  return { contigs, raw, dna: dnaLike >= 0.8 * total };
}

/** The `sequence` a client sent, as bytes: decoded from base64 when asked (BIGSdb: the result must then be FASTA). */
export function readQuerySequence(sequence: unknown, base64: boolean, maxRecords?: number): ParsedQuery {
  if (sequence === undefined || sequence === null || sequence === '') throw ServiceError.badRequest('Required field missing: sequence.');
  if (typeof sequence !== 'string') throw ServiceError.badRequest('Sequence must be a string.');
  if (!base64) return parseQuery(Buffer.from(sequence, 'utf8'), maxRecords);
  const decoded = decodeBase64(sequence);
  let first = 0;
  while (first < decoded.length && IGNORED_CHAR[decoded[first]] && decoded[first] !== 0x2d) first++;
  if (first >= decoded.length) throw ServiceError.badRequest('Required field missing: sequence.');
  if (decoded[first] !== 0x3e) throw ServiceError.badRequest('Sequence is not a valid FASTA file.');
  return parseQuery(decoded, maxRecords);
}
