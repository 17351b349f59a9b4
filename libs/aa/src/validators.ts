/**
 * A_A's input validators, one per ValidatorTypes name: a job's validators all run on the uploaded bytes
 * (forms.py `SubmissionForm.__validate_input`, first failure wins) and a failure is the 400
 * `{"error": {"input_data": ["Input data could not be validated"]}}`.
 *
 * Source: AnalyticsAutomated/analytics_automated analytics_automated/validators.py @ 0cd44f3c, its tests in
 * tests/test_validators.py and fixtures in submissions/files/, and Python's imghdr (CPython 3.11 Lib/imghdr.py).
 *
 * Where A_A raises instead of answering (HTTP 500) the outcome here is 'crash', and the boolean validators
 * return false:
 * - gif/png/jpeg on bytes imghdr does not recognise: `'gif' in imghdr.what('', data)` with None is a TypeError;
 * - seq/pdb_file on bytes that are not UTF-8 (`file_data.decode("utf-8")`);
 * - seq on text with two or more '>' whose first line does not start with '>' (`seqs[0]` KeyError).
 */

export type ValidatorOutcome = 'valid' | 'invalid' | 'crash';

export const VALIDATOR_NAMES = ['seq', 'pdb_file', 'gif', 'png', 'jpeg', 'none'] as const;
export type ValidatorName = (typeof VALIDATOR_NAMES)[number];

export function isValidatorName(name: string): name is ValidatorName {
  return (VALIDATOR_NAMES as readonly string[]).includes(name);
}

// ---------------------------------------------------------------------------------------------------------
// imghdr

const startsWith = (h: Uint8Array, prefix: readonly number[], at = 0) =>
  h.length >= at + prefix.length && prefix.every((b, i) => h[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * Python's `imghdr.what('', h)` over the whole data: the first of its tests that matches, in its order
 * (jpeg, png, gif, tiff, rgb, pbm, pgm, ppm, rast, xbm, bmp, webp, exr), or null.
 */
export function imghdrWhat(h: Uint8Array): string | null {
  // jpeg: JFIF or Exif at bytes 6..10, or a raw JPEG with a quantisation table first
  if (startsWith(h, ascii('JFIF'), 6) || startsWith(h, ascii('Exif'), 6)) return 'jpeg';
  if (startsWith(h, [0xff, 0xd8, 0xff, 0xdb])) return 'jpeg';
  if (startsWith(h, [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a])) return 'png';
  if (startsWith(h, ascii('GIF87a')) || startsWith(h, ascii('GIF89a'))) return 'gif';
  if (startsWith(h, ascii('MM')) || startsWith(h, ascii('II'))) return 'tiff';
  if (startsWith(h, [0x01, 0xda])) return 'rgb';
  const netpbm = (digits: string) =>
    h.length >= 3 && h[0] === 0x50 && ascii(digits).includes(h[1]) && [0x20, 0x09, 0x0a, 0x0d].includes(h[2]);
  if (netpbm('14')) return 'pbm';
  if (netpbm('25')) return 'pgm';
  if (netpbm('36')) return 'ppm';
  if (startsWith(h, [0x59, 0xa6, 0x6a, 0x95])) return 'rast';
  if (startsWith(h, ascii('#define '))) return 'xbm';
  if (startsWith(h, ascii('BM'))) return 'bmp';
  if (startsWith(h, ascii('RIFF')) && startsWith(h, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(h, [0x76, 0x2f, 0x31, 0x01])) return 'exr';
  return null;
}

/** A_A's image validators: `kind in imghdr.what('', data)` (a substring test on the detected type). */
function image(kind: string, bytes: Uint8Array): ValidatorOutcome {
  const what = imghdrWhat(bytes);
  if (what === null) return 'crash';
  return what.includes(kind) ? 'valid' : 'invalid';
}

// ---------------------------------------------------------------------------------------------------------
// Text

/** Python's `bytes.decode("utf-8")`: strict, and a leading BOM is kept as U+FEFF. */
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Python's `str.splitlines()`: its line boundaries, no trailing empty line. */
export function pythonSplitlines(text: string): string[] {
  if (text === '') return [];
  // eslint-disable-next-line no-control-regex -- Python's str.splitlines() breaks at these control characters
  const lines = text.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's `\s` on str patterns (str.isspace()). */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** `re.compile("ATOM\s+\d+", re.IGNORECASE)`; Python's `\d` is any Unicode decimal digit (Nd). */
const PDB_PATTERN = new RegExp(`[Aa][Tt][Oo][Mm][${PY_SPACE}]+\\p{Nd}+`, 'u');
/**
 * `re.compile(r'[^ACDEFGHIKLMNPQRSTVWYX-]+', re.IGNORECASE)`: Python's case-insensitive matching also lets
 * U+0130 İ and U+0131 ı (as I), U+017F ſ (as S) and U+212A Kelvin sign (as K) through; spelled out here.
 */
const NON_RESIDUE = /[^\-ACDEFGHIKLMNPQRSTVWYXacdefghiklmnpqrstvwyx\u0130\u0131\u017f\u212a]/u;
const NUCLEOTIDES = new Set(Array.from('ATCGUNatcgun'));

/** Length in code points, as Python's len(). */
const pyLen = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** A_A's `__test_seq`: 30 to 1500 residues, under 95% ACGTUN (either case), only amino-acid letters, X and '-'. */
function testSeq(seq: string): boolean {
  const length = pyLen(seq);
  if (length < 30 || length > 1500) return false;
  let nucleotides = 0;
  for (const c of seq) if (NUCLEOTIDES.has(c)) nucleotides++;
  if (nucleotides / length >= 0.95) return false;
  return !NON_RESIDUE.test(seq);
}

function seqOutcome(bytes: Uint8Array): ValidatorOutcome {
  const text = decodeUtf8(bytes);
  if (text === null) return 'crash';
  const headerCount = [...text].filter((c) => c === '>').length;
  const lines = pythonSplitlines(text);
  if (headerCount <= 1) {
    // A single sequence: header and ';' comment lines dropped, the rest joined.
    const body = lines.filter((line) => !line.startsWith('>') && !line.startsWith(';'));
    if (body.length < 1) return 'invalid';
    return testSeq(body.join('')) ? 'valid' : 'invalid';
  }
  // An alignment: every line not starting with '>' (';' lines included) belongs to the sequence above it.
  const seqs: string[] = [];
  let residues = 0;
  for (const line of lines) {
    if (line.startsWith('>')) seqs.push('');
    else {
      if (seqs.length === 0) return 'crash';
      seqs[seqs.length - 1] += line;
      residues += pyLen(line);
    }
  }
  if (seqs.length === 0) return 'crash';
  // A_A compares the total with the first sequence's length times the count, not each length.
  if (residues !== pyLen(seqs[0]) * seqs.length) return 'invalid';
  return seqs.every(testSeq) ? 'valid' : 'invalid';
}

function pdbOutcome(bytes: Uint8Array): ValidatorOutcome {
  const text = decodeUtf8(bytes);
  if (text === null) return 'crash';
  return PDB_PATTERN.test(text) ? 'valid' : 'invalid';
}

const OUTCOMES: Readonly<Record<ValidatorName, (bytes: Uint8Array) => ValidatorOutcome>> = {
  seq: seqOutcome,
  pdb_file: pdbOutcome,
  gif: (bytes) => image('gif', bytes),
  png: (bytes) => image('png', bytes),
  jpeg: (bytes) => image('jpeg', bytes),
  none: () => 'valid',
};

/** What A_A does with the bytes: accepts, rejects (400), or raises (500). */
export function runValidator(name: ValidatorName, bytes: Uint8Array): ValidatorOutcome {
  return OUTCOMES[name](bytes);
}

/** A protein sequence in FASTA, or an alignment of them (see `seqOutcome`). */
export const seq = (bytes: Uint8Array): boolean => seqOutcome(bytes) === 'valid';
/** Text containing `ATOM`, whitespace, then digits, in any case. */
export const pdb_file = (bytes: Uint8Array): boolean => pdbOutcome(bytes) === 'valid';
export const gif = (bytes: Uint8Array): boolean => image('gif', bytes) === 'valid';
export const png = (bytes: Uint8Array): boolean => image('png', bytes) === 'valid';
export const jpeg = (bytes: Uint8Array): boolean => image('jpeg', bytes) === 'valid';
export const none = (_bytes: Uint8Array): boolean => true;

/** The validators by A_A name. */
export const VALIDATORS: Readonly<Record<ValidatorName, (bytes: Uint8Array) => boolean>> = Object.freeze({
  seq,
  pdb_file,
  gif,
  png,
  jpeg,
  none,
});

/**
 * Helixgate's own check, not A_A's: FASTA of nucleotides for the typing and assembly jobs. A '>' header first,
 * every record with at least one base, and only IUPAC nucleotide codes, gaps and whitespace in sequence lines.
 * Fed chunk by chunk, so a genome of any size is checked in constant memory.
 */
export class NucleotideFastaCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private partial = '';
  private records = 0;
  private bases = 0;
  private failed = false;

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    let text: string;
    try {
      text = this.partial + this.decoder.decode(chunk, { stream: true });
    } catch {
      this.failed = true;
      return;
    }
    const lines = text.split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (this.failed) return;
    if (line.startsWith('>')) {
      if (this.records && !this.bases) this.failed = true;
      this.records++;
      this.bases = 0;
    } else if (line.trim()) {
      if (!this.records || !/^[ACGTUNRYKMSWBDHVacgtunrykmswbdhv.*\s-]+$/.test(line)) this.failed = true;
      else this.bases += line.replace(/[\s.*-]/g, '').length;
    }
  }

  /** Whether everything pushed was nucleotide FASTA. */
  end(): boolean {
    try {
      this.line(this.partial + this.decoder.decode());
    } catch {
      this.failed = true;
    }
    this.partial = '';
    return !this.failed && this.records > 0 && this.bases > 0;
  }
}

/** `NucleotideFastaCheck` over bytes in memory. */
export function nucleotideFasta(bytes: Uint8Array): boolean {
  const check = new NucleotideFastaCheck();
  check.push(bytes);
  return check.end();
}

/**
 * A job's validators over one upload, as A_A's form does: valid when every one accepts; otherwise the first
 * that does not, and whether A_A would have rejected ('invalid') or raised ('crash'). `nucleotide_fasta` is
 * Helixgate's (see `nucleotideFasta`).
 */
export function validateInput(
  names: readonly (ValidatorName | 'nucleotide_fasta')[],
  bytes: Uint8Array,
): { ok: true } | { ok: false; validator: ValidatorName | 'nucleotide_fasta'; outcome: 'invalid' | 'crash' } {
  for (const name of names) {
    const outcome =
      name === 'nucleotide_fasta' ? (nucleotideFasta(bytes) ? 'valid' : 'invalid') : runValidator(name, bytes);
    if (outcome !== 'valid') return { ok: false, validator: name, outcome };
  }
  return { ok: true };
}

/** A_A's form error for input that fails validation. */
export const INPUT_NOT_VALIDATED_MESSAGE = 'Input data could not be validated';
