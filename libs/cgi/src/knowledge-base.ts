import { cancerTypeName } from './cancer-types';
/**
 * The knowledge base the CGI analysis interprets alterations against: cancer genes (role, where they are known
 * drivers, validated oncogenic changes) and drug-response biomarkers. It is read from two tab-separated files
 * (libs/cgi/knowledge-base/cancer_genes.tsv and biomarkers.tsv, whose comment header documents every column),
 * plus the built-in tumour-type tree below.
 *
 * The parsed `KnowledgeBase` is a plain JSON value (arrays, strings, numbers, booleans and null only: no Map,
 * no class, no undefined), so the jobs service can keep it in MongoDB and ship it to a worker unchanged:
 * `JSON.parse(JSON.stringify(kb))` deep-equals `kb`.
 */
import { createHash } from 'node:crypto';
import type { GenomicChange } from './alterations';

export type GeneRole = 'Act' | 'LoF' | 'ambiguous';
/** Kinds of alteration that make a gene a driver. */
export type DriverAlteration = 'MUT' | 'AMP' | 'DEL' | 'FUS';
export type BiomarkerResponse = 'Responsive' | 'Resistant';

/** Evidence levels, strongest first (the order is used to sort biomarker rows). */
export const EVIDENCE_LEVELS = [
  'FDA guidelines',
  'NCCN guidelines',
  'NCCN/CAP guidelines',
  'European LeukemiaNet guidelines',
  'CPIC guidelines',
  'Late trials',
  'Clinical trials',
  'Early trials',
  'Case report',
  'Pre-clinical',
] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

export interface TumourType {
  /** CGI's acronym, as in the `cancer_type` form field (CANCER, HEMATO, CM, NSCLC…). */
  code: string;
  name: string;
  /** The broader type it belongs to; null for CANCER only. */
  parent: string | null;
}

/**
 * The tumour types the knowledge base may name, as a tree under CANCER: CGI's codes and names (cancer-types.ts)
 * with parent links of ours, as CGI's list carries no hierarchy. A job's cancer type need not be in this list:
 * an unknown code only matches itself and CANCER.
 */
const tumour = (code: string, parent: string | null): TumourType => ({
  code,
  name: cancerTypeName(code) ?? code,
  parent,
});

export const TUMOUR_TYPES: readonly TumourType[] = [
  tumour('CANCER', null),
  tumour('SOLID', 'CANCER'),
  tumour('HEMATO', 'CANCER'),
  tumour('CM', 'SOLID'),
  tumour('NSCLC', 'SOLID'),
  tumour('LUAD', 'NSCLC'),
  tumour('LUSC', 'NSCLC'),
  tumour('SCLC', 'SOLID'),
  tumour('BRCA', 'SOLID'),
  tumour('COREAD', 'SOLID'),
  tumour('ST', 'SOLID'),
  tumour('STAD', 'ST'),
  tumour('PAAD', 'SOLID'),
  tumour('OV', 'SOLID'),
  tumour('PRAD', 'SOLID'),
  tumour('UCEC', 'SOLID'),
  tumour('HNSC', 'SOLID'),
  tumour('BLCA', 'SOLID'),
  tumour('THCA', 'SOLID'),
  tumour('RCCC', 'SOLID'),
  tumour('HC', 'SOLID'),
  tumour('GIST', 'SOLID'),
  tumour('GBM', 'SOLID'),
  tumour('LGG', 'SOLID'),
  tumour('NB', 'SOLID'),
  tumour('RB', 'SOLID'),
  tumour('AML', 'HEMATO'),
  tumour('CML', 'HEMATO'),
  tumour('ALL', 'HEMATO'),
  tumour('TCALL', 'ALL'),
  tumour('CLL', 'HEMATO'),
  tumour('CMP', 'HEMATO'),
  tumour('SM', 'HEMATO'),
  tumour('MM', 'HEMATO'),
  tumour('BLY', 'HEMATO'),
];

export interface CancerGene {
  gene: string;
  role: GeneRole;
  driverAlterations: DriverAlteration[];
  knownInTumors: string[];
  /** Validated oncogenic protein changes, exact ("H1047R") or codon ("V600"). */
  knownOncogenic: string[];
  /** RefSeq accessions without version. */
  transcripts: string[];
  source: string;
  /** 1-based line in cancer_genes.tsv. */
  line: number;
}

/** One alteration a biomarker requires. */
export type BiomarkerAlteration =
  | { kind: 'protein'; gene: string; change: string }
  | { kind: 'codon'; gene: string; ref: string; position: number }
  | { kind: 'truncating'; gene: string }
  | { kind: 'cna'; gene: string; cna: 'AMP' | 'DEL' }
  /** `'*'` stands for any partner; the two genes match in either order. */
  | { kind: 'fusion'; genes: [string, string] };

export interface Biomarker {
  gene: string;
  /** As written in the file ("V600E", "BCR__ABL1", "AMP", "*__ALK", "T790M + C797S"). */
  alteration: string;
  /** All must be present for a complete match; some for a partial one. */
  alterations: BiomarkerAlteration[];
  drugs: string[];
  response: BiomarkerResponse;
  evidence: EvidenceLevel;
  tumorTypes: string[];
  source: string;
  /** 1-based line in biomarkers.tsv. */
  line: number;
}

/** A protein change whose genomic coordinates the knowledge base gives, per reference. */
export interface KnownVariant {
  gene: string;
  change: string;
  hg19: GenomicChange | null;
  hg38: GenomicChange | null;
}

export interface KnowledgeBase {
  /** First 12 hex digits of a SHA-256 over both files: names the knowledge base a job was interpreted with. */
  version: string;
  cancerGenes: CancerGene[];
  biomarkers: Biomarker[];
  variants: KnownVariant[];
  tumourTypes: TumourType[];
}

export const CANCER_GENES_FILE = 'cancer_genes.tsv';
export const BIOMARKERS_FILE = 'biomarkers.tsv';
export const CANCER_GENES_COLUMNS = [
  'gene',
  'role',
  'driver_alterations',
  'known_in_tumors',
  'known_oncogenic',
  'transcripts',
  'source',
] as const;
export const BIOMARKERS_COLUMNS = [
  'gene',
  'alteration',
  'drugs',
  'response',
  'evidence',
  'tumor_types',
  'source',
  'hg19',
  'hg38',
] as const;

/** A malformed knowledge-base file: names the file and the 1-based line. */
export class KnowledgeBaseError extends Error {
  override name = 'KnowledgeBaseError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file}, line ${line}: ${message}`);
  }
}

const GENE_RE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** Exact protein change: one-letter reference, position, one-letter alternative or * (stop). */
const EXACT_RE = /^([A-Z])([1-9][0-9]*)([A-Z*])$/;
const CODON_RE = /^([A-Z])([1-9][0-9]*)$/;
const TRANSCRIPT_RE = /^(NM|NR|XM|ENST)_?[0-9]+$/;
const ROLES: readonly GeneRole[] = ['Act', 'LoF', 'ambiguous'];
const DRIVER_ALTERATIONS: readonly DriverAlteration[] = ['MUT', 'AMP', 'DEL', 'FUS'];

interface Row {
  line: number;
  values: Record<string, string>;
}

/**
 * Reads one strict TSV file: optional comment lines (starting with #), a header equal to `columns`, then rows with
 * exactly that many tab-separated fields, no surrounding whitespace, no blank lines (a final newline is fine).
 */
function readTsv(file: string, text: string, columns: readonly string[]): Row[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const rows: Row[] = [];
  let header = false;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.startsWith('#')) return;
    if (content.trim() === '') throw new KnowledgeBaseError(file, line, 'blank line');
    const fields = content.split('\t');
    if (!header) {
      if (fields.join('\t') !== columns.join('\t')) {
        throw new KnowledgeBaseError(
          file,
          line,
          `header must be "${columns.join('<TAB>')}", found "${fields.join('<TAB>')}"`,
        );
      }
      header = true;
      return;
    }
    if (fields.length !== columns.length) {
      throw new KnowledgeBaseError(
        file,
        line,
        `expected ${columns.length} tab-separated columns, found ${fields.length}`,
      );
    }
    const values: Record<string, string> = {};
    fields.forEach((value, c) => {
      if (value !== value.trim())
        throw new KnowledgeBaseError(file, line, `column ${columns[c]}: surrounding whitespace in "${value}"`);
      values[columns[c]] = value;
    });
    rows.push({ line, values });
  });
  if (!header) throw new KnowledgeBaseError(file, undefined, 'no header row');
  return rows;
}

/** Splits a ';' list; empty string → []. Empty items are an error. */
function list(file: string, line: number, column: string, value: string): string[] {
  if (value === '') return [];
  const items = value.split(';');
  for (const item of items) {
    if (item === '' || item !== item.trim())
      throw new KnowledgeBaseError(file, line, `column ${column}: malformed list "${value}"`);
  }
  if (new Set(items).size !== items.length)
    throw new KnowledgeBaseError(file, line, `column ${column}: repeated item in "${value}"`);
  return items;
}

function checkTumourTypes(
  file: string,
  line: number,
  column: string,
  codes: string[],
  known: ReadonlySet<string>,
): void {
  for (const code of codes) {
    if (!known.has(code)) throw new KnowledgeBaseError(file, line, `column ${column}: unknown tumour type "${code}"`);
  }
}

/** "7:140453136:A:T" → { chr: "7", pos: 140453136, ref: "A", alt: "T" }; "" → null. */
function parseCoordinate(file: string, line: number, column: string, value: string): GenomicChange | null {
  if (value === '') return null;
  const m = /^(?:chr)?([0-9]{1,2}|X|Y|MT):([1-9][0-9]*):([ACGT]+):([ACGT]+)$/.exec(value);
  if (!m)
    throw new KnowledgeBaseError(
      file,
      line,
      `column ${column}: expected chr:pos:ref:alt (e.g. 7:140453136:A:T), found "${value}"`,
    );
  return { chr: m[1], pos: Number(m[2]), ref: m[3], alt: m[4] };
}

function parseAlteration(file: string, line: number, gene: string, text: string): BiomarkerAlteration[] {
  const parts = text.split(' + ');
  const out: BiomarkerAlteration[] = [];
  for (const part of parts) {
    let alteration: BiomarkerAlteration;
    if (part.includes('__')) {
      const genes = part.split('__');
      if (genes.length !== 2 || genes.some((g) => g !== '*' && !GENE_RE.test(g)) || genes.every((g) => g === '*')) {
        throw new KnowledgeBaseError(
          file,
          line,
          `column alteration: malformed fusion "${part}" (GENE1__GENE2, * for any partner)`,
        );
      }
      if (!genes.includes(gene))
        throw new KnowledgeBaseError(file, line, `column alteration: fusion "${part}" does not involve ${gene}`);
      alteration = { kind: 'fusion', genes: [genes[0], genes[1]] };
    } else if (part === 'AMP' || part === 'DEL') {
      alteration = { kind: 'cna', gene, cna: part };
    } else if (part === 'truncating') {
      alteration = { kind: 'truncating', gene };
    } else if (EXACT_RE.test(part)) {
      alteration = { kind: 'protein', gene, change: part };
    } else if (CODON_RE.test(part)) {
      const m = CODON_RE.exec(part)!;
      alteration = { kind: 'codon', gene, ref: m[1], position: Number(m[2]) };
    } else {
      throw new KnowledgeBaseError(
        file,
        line,
        `column alteration: "${part}" is none of a protein change (V600E), a codon (Q61), truncating, AMP, DEL or a fusion (BCR__ABL1)`,
      );
    }
    out.push(alteration);
  }
  return out;
}

function sha12(...texts: string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/**
 * Parses and cross-checks the two knowledge-base files. Throws a KnowledgeBaseError naming the file and line on the
 * first problem: a wrong header, a wrong number of columns, an unknown role, tumour type or evidence level, a
 * malformed alteration or coordinate, a duplicate gene, a biomarker for a gene that is not a cancer gene, or two
 * rows giving different coordinates for one variant (or one coordinate to two variants).
 */
export function parseKnowledgeBase(files: { cancerGenes: string; biomarkers: string }): KnowledgeBase {
  const tumourCodes = new Set(TUMOUR_TYPES.map((t) => t.code));
  const GF = CANCER_GENES_FILE;
  const cancerGenes: CancerGene[] = [];
  const geneByName = new Map<string, CancerGene>();
  for (const { line, values } of readTsv(GF, files.cancerGenes, CANCER_GENES_COLUMNS)) {
    const gene = values.gene;
    if (!GENE_RE.test(gene)) throw new KnowledgeBaseError(GF, line, `column gene: "${gene}" is not a gene symbol`);
    if (geneByName.has(gene.toUpperCase())) throw new KnowledgeBaseError(GF, line, `gene ${gene} is listed twice`);
    const role = values.role as GeneRole;
    if (!ROLES.includes(role))
      throw new KnowledgeBaseError(GF, line, `column role: "${values.role}" is not one of ${ROLES.join(', ')}`);
    const driverAlterations = list(GF, line, 'driver_alterations', values.driver_alterations) as DriverAlteration[];
    if (driverAlterations.length === 0) throw new KnowledgeBaseError(GF, line, 'column driver_alterations: empty');
    for (const d of driverAlterations) {
      if (!DRIVER_ALTERATIONS.includes(d)) {
        throw new KnowledgeBaseError(
          GF,
          line,
          `column driver_alterations: "${d}" is not one of ${DRIVER_ALTERATIONS.join(', ')}`,
        );
      }
    }
    const knownInTumors = list(GF, line, 'known_in_tumors', values.known_in_tumors);
    if (knownInTumors.length === 0) throw new KnowledgeBaseError(GF, line, 'column known_in_tumors: empty');
    checkTumourTypes(GF, line, 'known_in_tumors', knownInTumors, tumourCodes);
    const knownOncogenic = list(GF, line, 'known_oncogenic', values.known_oncogenic);
    for (const change of knownOncogenic) {
      if (!EXACT_RE.test(change) && !CODON_RE.test(change)) {
        throw new KnowledgeBaseError(
          GF,
          line,
          `column known_oncogenic: "${change}" is neither a protein change (H1047R) nor a codon (V600)`,
        );
      }
    }
    const transcripts = list(GF, line, 'transcripts', values.transcripts);
    for (const t of transcripts) {
      if (!TRANSCRIPT_RE.test(t))
        throw new KnowledgeBaseError(
          GF,
          line,
          `column transcripts: "${t}" is not a transcript accession without version`,
        );
    }
    if (values.source === '') throw new KnowledgeBaseError(GF, line, 'column source: empty');
    const entry: CancerGene = {
      gene,
      role,
      driverAlterations,
      knownInTumors,
      knownOncogenic,
      transcripts,
      source: values.source,
      line,
    };
    cancerGenes.push(entry);
    geneByName.set(gene.toUpperCase(), entry);
  }
  const transcriptOwner = new Map<string, string>();
  for (const g of cancerGenes) {
    for (const t of g.transcripts) {
      const other = transcriptOwner.get(t);
      if (other !== undefined)
        throw new KnowledgeBaseError(GF, g.line, `transcript ${t} is listed for both ${other} and ${g.gene}`);
      transcriptOwner.set(t, g.gene);
    }
  }

  const BF = BIOMARKERS_FILE;
  const biomarkers: Biomarker[] = [];
  const variants: KnownVariant[] = [];
  const variantByChange = new Map<string, KnownVariant>();
  const variantByCoordinate = new Map<string, KnownVariant>();
  for (const { line, values } of readTsv(BF, files.biomarkers, BIOMARKERS_COLUMNS)) {
    const geneEntry = geneByName.get(values.gene.toUpperCase());
    if (!geneEntry)
      throw new KnowledgeBaseError(BF, line, `column gene: ${values.gene || '(empty)'} is not in ${CANCER_GENES_FILE}`);
    const gene = geneEntry.gene;
    if (values.gene !== gene)
      throw new KnowledgeBaseError(BF, line, `column gene: write ${gene} as in ${CANCER_GENES_FILE}`);
    const alterations = parseAlteration(BF, line, gene, values.alteration);
    const drugs = list(BF, line, 'drugs', values.drugs);
    if (drugs.length === 0) throw new KnowledgeBaseError(BF, line, 'column drugs: empty');
    const response = values.response as BiomarkerResponse;
    if (response !== 'Responsive' && response !== 'Resistant') {
      throw new KnowledgeBaseError(
        BF,
        line,
        `column response: "${values.response}" is neither Responsive nor Resistant`,
      );
    }
    const evidence = values.evidence as EvidenceLevel;
    if (!EVIDENCE_LEVELS.includes(evidence)) {
      throw new KnowledgeBaseError(
        BF,
        line,
        `column evidence: "${values.evidence}" is not one of ${EVIDENCE_LEVELS.join(', ')}`,
      );
    }
    const tumorTypes = list(BF, line, 'tumor_types', values.tumor_types);
    if (tumorTypes.length === 0) throw new KnowledgeBaseError(BF, line, 'column tumor_types: empty');
    checkTumourTypes(BF, line, 'tumor_types', tumorTypes, tumourCodes);
    if (values.source === '') throw new KnowledgeBaseError(BF, line, 'column source: empty');

    const hg19 = parseCoordinate(BF, line, 'hg19', values.hg19);
    const hg38 = parseCoordinate(BF, line, 'hg38', values.hg38);
    if (hg19 || hg38) {
      const only = alterations.length === 1 ? alterations[0] : undefined;
      if (!only || only.kind !== 'protein' || only.change.endsWith('*')) {
        throw new KnowledgeBaseError(BF, line, 'coordinates are only allowed for a single exact protein change');
      }
      for (const c of [hg19, hg38]) {
        if (c && (c.ref.length !== 1 || c.alt.length !== 1 || c.ref === c.alt)) {
          throw new KnowledgeBaseError(BF, line, 'coordinates must describe a single-nucleotide change');
        }
      }
      const key = `${gene}:${only.change}`;
      let variant = variantByChange.get(key);
      if (!variant) {
        variant = { gene, change: only.change, hg19: null, hg38: null };
        variantByChange.set(key, variant);
        variants.push(variant);
      }
      for (const [build, c] of [
        ['hg19', hg19],
        ['hg38', hg38],
      ] as const) {
        if (!c) continue;
        const prior = variant[build];
        if (prior && coordinateKey(build, prior) !== coordinateKey(build, c)) {
          throw new KnowledgeBaseError(BF, line, `${build} coordinates of ${key} differ from an earlier row`);
        }
        const ck = coordinateKey(build, c);
        const owner = variantByCoordinate.get(ck);
        if (owner && owner !== variant) {
          throw new KnowledgeBaseError(
            BF,
            line,
            `${build} ${c.chr}:${c.pos}:${c.ref}:${c.alt} is also given for ${owner.gene}:${owner.change}`,
          );
        }
        variantByCoordinate.set(ck, variant);
        variant[build] = c;
      }
    }
    biomarkers.push({
      gene,
      alteration: values.alteration,
      alterations,
      drugs,
      response,
      evidence,
      tumorTypes,
      source: values.source,
      line,
    });
  }

  return {
    version: sha12(files.cancerGenes, files.biomarkers),
    cancerGenes,
    biomarkers,
    variants,
    tumourTypes: TUMOUR_TYPES.map((t) => ({ ...t })),
  };
}

/** The lookup key of a genomic change on one reference: "hg38:7:140753336:A:T" (chromosome without "chr"). */
export function coordinateKey(reference: 'hg19' | 'hg38', c: GenomicChange): string {
  const chr = c.chr.replace(/^chr/i, '').toUpperCase();
  const allele = (a: string) => (a === '' || a === '-' ? '-' : a.toUpperCase());
  return `${reference}:${chr === 'M' ? 'MT' : chr}:${c.pos}:${allele(c.ref)}:${allele(c.alt)}`;
}
