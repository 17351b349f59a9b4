/**
 * Reading CGI's input files (https://www.cancergenomeinterpreter.org/formats): tab-separated tables with a header,
 * an optional `sample` column everywhere and any other column carried through; VCF for mutations.
 *
 *  - mutations: a `protein` column (HGVS protein: `TP53:p.R248Q`, `NM_005157:p.T315I`, `APC:p.I1557fs*30`), a `gdna`
 *    column (HGVS genomic: `chr3:g.178936091G>A`, del/ins/dup/delins forms), `chr pos ref alt` columns (`-` for an
 *    empty allele), or VCF (`##fileformat=VCF…` or a `#CHROM` header; every sample column is ignored, the file is one
 *    sample). When a header has several of these, `protein` wins over `gdna`, which wins over `chr pos ref alt`.
 *  - cnas: `gene` and `cna` columns, `cna` AMP or DEL (any case).
 *  - translocations: a `fus` column, `GENE1__GENE2`.
 *
 * Header names are matched case-insensitively (`CHR POS REF ALT` works). The reader tolerates a UTF-8 BOM, CRLF or CR
 * line ends, blank lines and trailing tabs; `#` lines are only meaningful in VCF (its meta lines and header). Every
 * problem is an InputError naming the file and the 1-based line (the line in the file as uploaded, blank lines
 * included). Pure: no I/O.
 */
import { isPrototypeKey } from '@helixgate/contracts';
import {
  Alteration,
  GenomicChange,
  InputError,
  InputFormat,
  InputKind,
  MutationAlteration,
  ParsedInput,
} from './alterations';

/** The files in the order CGI numbers them (input01, input02, input03). */
export const INPUT_KINDS: readonly InputKind[] = ['mutations', 'cnas', 'translocations'];
/** Data rows accepted per file (header, blank lines and VCF meta lines not counted). */
export const MAX_ROWS = 100_000;
export const MAX_GENE_LENGTH = 40;
export const MAX_SAMPLE_LENGTH = 100;
/** Longest allele (written, or implied by a `del`/`dup` range) accepted. */
export const MAX_ALLELE_LENGTH = 10_000;
/** Largest genomic position accepted (chromosome 1 is ~249 Mb). */
export const MAX_POSITION = 2_147_483_647;
/** Longest HGVS string accepted before any pattern is tried. */
const MAX_HGVS_LENGTH = 1_000;

// ---------------------------------------------------------------------------------------------------------------
// Lines and cells

interface Line {
  /** 1-based line number in the file. */
  no: number;
  text: string;
}

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

function lines(text: string): Line[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/).map((t, i) => ({ no: i + 1, text: t }));
}

const isBlank = (line: Line): boolean => line.text.trim() === '';

function checkCharacters(kind: InputKind, line: Line): void {
  const m = CONTROL.exec(line.text);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new InputError(kind, line.no, `control character U+${code} is not allowed`);
  }
}

/** Shortens a user value for an error message. */
function show(value: string, max = 60): string {
  return `'${value.length > max ? `${value.slice(0, max)}…` : value}'`;
}

/** Splits a data line on tabs; trailing empty cells beyond the header's width (trailing tabs) are dropped. */
function cells(line: Line, width: number): string[] {
  const out = line.text.split('\t');
  while (out.length > width && out[out.length - 1].trim() === '') out.pop();
  return out;
}

interface Header {
  line: number;
  /** Names as written (trimmed). */
  columns: string[];
  /** Lower-cased name → column index. */
  index: Map<string, number>;
}

function readHeader(kind: InputKind, line: Line, names: string[]): Header {
  const columns = names.map((n) => n.trim());
  while (columns.length > 0 && columns[columns.length - 1] === '') columns.pop();
  const index = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name === '') throw new InputError(kind, line.no, `column ${i + 1} of the header has no name`);
    // Each row is kept as {column: value}: a name that reaches an object's prototype is no column name.
    if (isPrototypeKey(name)) throw new InputError(kind, line.no, `${show(name)} is not accepted as a column name`);
    const key = name.toLowerCase();
    if (index.has(key)) throw new InputError(kind, line.no, `column ${show(name)} appears twice in the header`);
    index.set(key, i);
  });
  return { line: line.no, columns, index };
}

// ---------------------------------------------------------------------------------------------------------------
// Values

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TRANSCRIPT = /^(?:ENST\d+|[NX][MR]_\d+)(?:\.\d+)?$/;

function gene(kind: InputKind, line: number, value: string, what = 'gene'): string {
  if (value.length > MAX_GENE_LENGTH || !SYMBOL.test(value)) {
    throw new InputError(
      kind,
      line,
      `invalid ${what} ${show(value)}: letters, digits, '-', '.' and '_' only, up to ${MAX_GENE_LENGTH} characters`,
    );
  }
  return value;
}

/** A chromosome as written (`chr3`, `3`, `chrX`, `MT`, a contig name) → without "chr". */
function chromosome(kind: InputKind, line: number, value: string): string {
  const chr = /^chr./i.test(value) ? value.slice(3) : value;
  if (chr.length > MAX_GENE_LENGTH || !SYMBOL.test(chr)) {
    throw new InputError(kind, line, `invalid chromosome ${show(value)}`);
  }
  return chr;
}

function position(kind: InputKind, line: number, value: string, what = 'pos'): number {
  if (!/^[1-9]\d*$/.test(value) || Number(value) > MAX_POSITION) {
    throw new InputError(kind, line, `${what} must be a positive integer up to ${MAX_POSITION} (got ${show(value)})`);
  }
  return Number(value);
}

/** A ref/alt allele of the tabular format or VCF: ACGTN (any case, returned upper-case) or '-' for empty. */
function allele(kind: InputKind, line: number, value: string, what: string): string {
  if (value === '-') return '-';
  if (!/^[ACGTN]+$/i.test(value)) {
    throw new InputError(
      kind,
      line,
      `${what} must be bases A, C, G, T, N or '-' for an empty allele (got ${show(value)})`,
    );
  }
  if (value.length > MAX_ALLELE_LENGTH) {
    throw new InputError(kind, line, `${what} is longer than ${MAX_ALLELE_LENGTH} bases`);
  }
  return value.toUpperCase();
}

function sampleName(kind: InputKind, line: number, value: string, fallback: string): string {
  const name = value.trim();
  if (name === '') return fallback;
  if (name.length > MAX_SAMPLE_LENGTH) {
    throw new InputError(kind, line, `sample name is longer than ${MAX_SAMPLE_LENGTH} characters`);
  }
  return name;
}

// ---------------------------------------------------------------------------------------------------------------
// HGVS

const AA1 = '[ACDEFGHIKLMNPQRSTUVWY]';
const AA3 = '(?:Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val|Sec|Pyl|Xaa)';
const STOP = '(?:\\*|Ter|X)';
const AA = `(?:${AA3}|${AA1}|${STOP})`;
const SITE = `${AA}[1-9]\\d*`;
const SEQ = `(?:${AA})+`;
const PROTEIN_CHANGES: readonly RegExp[] = [
  // substitution, nonsense, synonymous, unknown: R248Q, Thr315Ile, Q1178*, R248=, M1?
  new RegExp(`^${SITE}(?:${AA}|=|\\?)$`),
  // frameshift: I1557fs*30, I1557fs, R248Qfs*12, Ile1557fsTer30
  new RegExp(`^${SITE}(?:${AA})?fs(?:${STOP}(?:[1-9]\\d*|\\?)?)?$`),
  // deletions, insertions, duplications, delins: I254_T256delIIT, I254_T256del3, P1331_A1332insTP, Y343_D350dup
  new RegExp(`^${SITE}(?:_${SITE})?(?:del(?:${SEQ}|[1-9]\\d*)?(?:ins${SEQ})?|dup(?:${SEQ})?|ins(?:${SEQ}|[1-9]\\d*))$`),
  // stop-loss extension: *757Lext*?
  new RegExp(`^${STOP}[1-9]\\d*${AA}ext(?:${STOP})?(?:[1-9]\\d*|\\?)?$`),
];

function proteinHgvs(line: number, value: string): Pick<MutationAlteration, 'gene' | 'transcript' | 'protein'> {
  const m = value.length <= MAX_HGVS_LENGTH ? /^([^:]*):p\.(.+)$/.exec(value) : null;
  if (!m || !PROTEIN_CHANGES.some((re) => re.test(m[2]))) {
    throw new InputError(
      'mutations',
      line,
      `malformed protein HGVS ${show(value)}: expected GENE:p.CHANGE or TRANSCRIPT:p.CHANGE, e.g. TP53:p.R248Q, ` +
        'NM_005157:p.T315I, APC:p.I1557fs*30',
    );
  }
  const id = gene('mutations', line, m[1], 'gene or transcript');
  return TRANSCRIPT.test(id) ? { transcript: id, protein: m[2] } : { gene: id, protein: m[2] };
}

const BASES = '[ACGTNacgtn]+';
const GDNA = new RegExp(
  `^([^:]+):(?:g\\.)?(\\d+)(?:_(\\d+))?(?:(${BASES})>(${BASES})|(del)(${BASES}|\\d+)?(?:ins(${BASES}))?|ins(${BASES})|dup(${BASES})?)$`,
);
const GDNA_EXAMPLES =
  'e.g. chr3:g.178936091G>A, chr3:g.41266066_41266067delinsAA, chr5:g.170837546_170837547insCTGT, ' +
  'chr3:g.30732988_30732989dupTG, chr2:g.234183368_234183372del';

/**
 * Genomic HGVS on the positive strand → chr/pos/ref/alt in the tabular convention: a deletion starts at its first
 * deleted base (alt '-'), an insertion sits at the base after it (ref '-'), a duplication is an insertion after its
 * range. Deleted bases not written out (`del`, `del5`, `delins`) are 'N's, one per base of the range.
 */
function genomicHgvs(line: number, value: string): GenomicChange {
  const m = value.length <= MAX_HGVS_LENGTH ? GDNA.exec(value) : null;
  const bad = (why?: string): InputError =>
    new InputError(
      'mutations',
      line,
      `malformed genomic HGVS ${show(value)}${why ? `: ${why}` : ''} (${GDNA_EXAMPLES})`,
    );
  if (!m) throw bad();
  const [, chrText, startText, endText, subRef, subAlt, del, delWhat, delIns, ins, dup] = m;
  const chr = chromosome('mutations', line, chrText);
  const start = position('mutations', line, startText, 'start position');
  const end = endText === undefined ? start : position('mutations', line, endText, 'end position');
  if (end < start) throw bad('the end position is before the start');
  const span = end - start + 1;
  if (span > MAX_ALLELE_LENGTH) throw bad(`the range is longer than ${MAX_ALLELE_LENGTH} bases`);
  const upper = (s: string): string => {
    if (s.length > MAX_ALLELE_LENGTH) throw bad(`an allele is longer than ${MAX_ALLELE_LENGTH} bases`);
    return s.toUpperCase();
  };

  if (subRef !== undefined) {
    if (endText !== undefined && subRef.length !== span) throw bad('the reference bases do not match the range');
    return { chr, pos: start, ref: upper(subRef), alt: upper(subAlt) };
  }
  if (del !== undefined) {
    let ref = 'N'.repeat(span);
    if (delWhat !== undefined && /^\d+$/.test(delWhat)) {
      if (Number(delWhat) !== span) throw bad('the deleted length does not match the range');
    } else if (delWhat !== undefined) {
      if (delWhat.length !== span) throw bad('the deleted bases do not match the range');
      ref = upper(delWhat);
    }
    return { chr, pos: start, ref, alt: delIns === undefined ? '-' : upper(delIns) };
  }
  if (ins !== undefined) {
    if (end !== start + 1) throw bad('an insertion goes between two adjacent positions, e.g. 170837546_170837547ins');
    return { chr, pos: end, ref: '-', alt: upper(ins) };
  }
  // duplication
  if (dup !== undefined && dup.length !== span) throw bad('the duplicated bases do not match the range');
  return { chr, pos: end + 1, ref: '-', alt: dup === undefined ? 'N'.repeat(span) : upper(dup) };
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

/** An alteration without the fields every row shares (line, sample, input). */
type RowAlteration<T = Alteration> = T extends Alteration ? Omit<T, 'line' | 'sample' | 'input'> : never;
type RowParser = (line: number, value: (column: string) => string) => RowAlteration;

const MUTATION_HEADERS =
  "a mutations file needs a 'protein' column (HGVS protein, e.g. TP53:p.R248Q), a 'gdna' column (HGVS genomic, " +
  "e.g. chr3:g.178936091G>A), 'chr', 'pos', 'ref' and 'alt' columns, or a VCF header ('##fileformat=VCF…' or '#CHROM')";

function tableFormat(kind: InputKind, header: Header): { format: InputFormat; parse: RowParser } {
  const has = (...names: string[]): boolean => names.every((n) => header.index.has(n));
  const listed = (): string => show(header.columns.join(', '), 120);
  switch (kind) {
    case 'mutations':
      if (has('protein')) {
        return { format: 'protein', parse: (line, v) => ({ kind: 'mutation', ...proteinHgvs(line, v('protein')) }) };
      }
      if (has('gdna'))
        return { format: 'gdna', parse: (line, v) => ({ kind: 'mutation', genomic: genomicHgvs(line, v('gdna')) }) };
      if (has('chr', 'pos', 'ref', 'alt')) {
        return {
          format: 'tabular',
          parse: (line, v) => {
            const genomic: GenomicChange = {
              chr: chromosome(kind, line, v('chr')),
              pos: position(kind, line, v('pos')),
              ref: allele(kind, line, v('ref'), 'ref'),
              alt: allele(kind, line, v('alt'), 'alt'),
            };
            if (genomic.ref === '-' && genomic.alt === '-')
              throw new InputError(kind, line, "ref and alt cannot both be '-'");
            return { kind: 'mutation', genomic };
          },
        };
      }
      throw new InputError(kind, header.line, `unrecognised header ${listed()}: ${MUTATION_HEADERS}`);
    case 'cnas':
      if (!has('gene', 'cna')) {
        throw new InputError(
          kind,
          header.line,
          `unrecognised header ${listed()}: a cnas file needs 'gene' and 'cna' columns`,
        );
      }
      return {
        format: 'cna',
        parse: (line, v) => {
          const cna = v('cna').toUpperCase();
          if (cna !== 'AMP' && cna !== 'DEL')
            throw new InputError(kind, line, `cna must be AMP or DEL (got ${show(v('cna'))})`);
          return { kind: 'cna', gene: gene(kind, line, v('gene')), cna };
        },
      };
    case 'translocations':
      if (!has('fus')) {
        throw new InputError(
          kind,
          header.line,
          `unrecognised header ${listed()}: a translocations file needs a 'fus' column (GENE1__GENE2, e.g. BCR__ABL1)`,
        );
      }
      return {
        format: 'fusion',
        parse: (line, v) => {
          const parts = v('fus').split('__');
          if (parts.length !== 2 || parts.some((p) => p.length > MAX_GENE_LENGTH || !SYMBOL.test(p))) {
            throw new InputError(
              kind,
              line,
              `fus must be two gene symbols joined by '__', e.g. BCR__ABL1 (got ${show(v('fus'))})`,
            );
          }
          return { kind: 'fusion', genes: [parts[0], parts[1]] };
        },
      };
  }
}

function rowLimit(kind: InputKind, line: number, rows: number): void {
  if (rows > MAX_ROWS) throw new InputError(kind, line, `too many rows: at most ${MAX_ROWS} are accepted per file`);
}

function noAlterations(kind: InputKind, headerLine: number): InputError {
  return new InputError(kind, headerLine, 'no alterations: the file has a header but no data rows');
}

function parseTable(kind: InputKind, all: Line[], start: number, defaultSample: string): ParsedInput {
  const headerLine = all[start];
  const header = readHeader(kind, headerLine, headerLine.text.split('\t'));
  const { format, parse } = tableFormat(kind, header);
  const width = header.columns.length;
  const sampleIndex = header.index.get('sample');
  const alterations: Alteration[] = [];
  let rows = 0;
  for (let i = start + 1; i < all.length; i++) {
    const line = all[i];
    if (isBlank(line)) continue;
    rowLimit(kind, line.no, ++rows);
    checkCharacters(kind, line);
    const row = cells(line, width);
    if (row.length !== width) {
      throw new InputError(
        kind,
        line.no,
        `expected ${width} tab-separated columns as in the header, found ${row.length}`,
      );
    }
    const input: Record<string, string> = {};
    header.columns.forEach((name, c) => (input[name] = row[c]));
    const value = (column: string): string => {
      const v = row[header.index.get(column)!].trim();
      if (v === '') throw new InputError(kind, line.no, `the ${column} column is empty`);
      return v;
    };
    const sample =
      sampleIndex === undefined ? defaultSample : sampleName(kind, line.no, row[sampleIndex], defaultSample);
    alterations.push({ line: line.no, sample, input, ...parse(line.no, value) });
  }
  if (alterations.length === 0) throw noAlterations(kind, header.line);
  return { kind, format, columns: header.columns, alterations };
}

// ---------------------------------------------------------------------------------------------------------------
// VCF

const VCF_FIXED = ['CHROM', 'POS', 'ID', 'REF', 'ALT'];

const isVcfStart = (text: string): boolean => text.startsWith('##fileformat=VCF') || /^#CHROM(\t|$)/i.test(text);

function parseVcf(all: Line[], start: number, defaultSample: string): ParsedInput {
  const kind: InputKind = 'mutations';
  let header: Header | undefined;
  const alterations: MutationAlteration[] = [];
  let rows = 0;
  for (let i = start; i < all.length; i++) {
    const line = all[i];
    if (isBlank(line)) continue;
    checkCharacters(kind, line);
    if (header === undefined) {
      if (/^#CHROM(\t|$)/i.test(line.text)) {
        header = readHeader(kind, line, line.text.slice(1).split('\t'));
        const fixed = header.columns.slice(0, VCF_FIXED.length).map((c) => c.toUpperCase());
        if (fixed.join('\t') !== VCF_FIXED.join('\t')) {
          throw new InputError(kind, line.no, `a VCF header must start with #${VCF_FIXED.join('\t')}`);
        }
      } else if (!line.text.startsWith('#')) {
        throw new InputError(kind, line.no, "VCF data before the '#CHROM' header line");
      }
      continue;
    }
    if (line.text.startsWith('#')) throw new InputError(kind, line.no, "unexpected '#' line after the '#CHROM' header");
    rowLimit(kind, line.no, ++rows);
    const width = header.columns.length;
    const row = cells(line, width);
    if (row.length !== width) {
      throw new InputError(
        kind,
        line.no,
        `expected ${width} tab-separated columns as in the #CHROM header, found ${row.length}`,
      );
    }
    const input: Record<string, string> = {};
    header.columns.forEach((name, c) => (input[name] = row[c]));
    const chr = chromosome(kind, line.no, row[0].trim());
    const pos = position(kind, line.no, row[1].trim(), 'POS');
    const ref = allele(kind, line.no, row[3].trim(), 'REF');
    for (const alt of row[4].trim().split(',')) {
      if (alt === '.' || alt === '*') continue; // no alternate allele / allele spanned by an upstream deletion
      if (alt.startsWith('<') || /[[\]]/.test(alt)) {
        throw new InputError(kind, line.no, `symbolic or breakend ALT allele ${show(alt)} is not supported`);
      }
      alterations.push({
        kind: 'mutation',
        line: line.no,
        sample: defaultSample,
        input,
        genomic: { chr, pos, ref, alt: allele(kind, line.no, alt, 'ALT') },
      });
    }
  }
  if (header === undefined) throw new InputError(kind, all[start].no, "VCF without a '#CHROM' header line");
  if (alterations.length === 0) throw noAlterations(kind, header.line);
  return { kind, format: 'vcf', columns: header.columns, alterations };
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/**
 * Reads one input file. `defaultSample` is the sample of rows without a `sample` value (and of every VCF record).
 * Throws InputError on the first problem.
 */
export function parseInput(kind: InputKind, text: string, defaultSample: string): ParsedInput {
  const all = lines(text);
  const start = all.findIndex((l) => !isBlank(l));
  if (start < 0) throw new InputError(kind, 1, 'the file is empty');
  checkCharacters(kind, all[start]);
  if (kind === 'mutations' && isVcfStart(all[start].text)) return parseVcf(all, start, defaultSample);
  return parseTable(kind, all, start, defaultSample);
}

/**
 * Reads the files a job was launched with, in CGI's order (mutations, cnas, translocations). Without
 * `defaultSample`, rows without a sample are named after CGI's copy of the file: input01, input02, … in that order
 * among the files given.
 */
export function parseInputs(files: Partial<Record<InputKind, string>>, defaultSample?: string): ParsedInput[] {
  const given = INPUT_KINDS.filter((kind) => files[kind] !== undefined);
  if (given.length === 0) {
    throw new InputError('mutations', undefined, 'at least one of mutations, cnas, translocations is required');
  }
  return given.map((kind, i) =>
    parseInput(kind, files[kind]!, defaultSample ?? `input${String(i + 1).padStart(2, '0')}`),
  );
}
