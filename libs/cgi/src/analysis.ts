/**
 * The CGI analysis: interprets parsed input files against the knowledge base and writes CGI's output files
 * (https://www.cancergenomeinterpreter.org, current format): alterations.tsv, biomarkers.tsv, cna_analysis.tsv
 * (only when CNAs were given), input01.tsv… and summary.txt, plus CGI-like log lines.
 *
 * Pure and deterministic: the same inputs, knowledge base and options give byte-identical files (no clock, no
 * randomness); the caller zips them (zip.ts) and timestamps the log lines.
 *
 * What we interpret, and how (no VEP, no prediction models: only what the knowledge base states):
 * - A mutation is resolved to gene + protein change from its protein HGVS (a RefSeq transcript resolves through the
 *   cancer genes' transcripts), or, for a genomic change, through the knowledge base's coordinates of known variants
 *   on the job's reference. Its oncogenic summary is then "oncogenic (annotated)" (a validated oncogenic change or a
 *   specific biomarker alteration), "oncogenic (predicted)" (a truncating change in a LoF/ambiguous cancer gene),
 *   "non-protein affecting" (synonymous), "cancer gene; variant not in the knowledge base", "not in the knowledge
 *   base" (gene unknown) or "genomic change not mapped". Every mutation and fusion gets a row: none is dropped.
 * - A CNA is a known driver when the gene is a cancer gene whose driver alterations include that CNA kind.
 * - A fusion is annotated when it matches a fusion biomarker, predicted when a partner is a known fusion driver.
 * - Biomarkers are matched per sample. BioM says whether all of a biomarker's alterations are present ("complete")
 *   or only some ("partial", for combinations written "A + B"). Match says whether one of the biomarker's tumour
 *   types matches the job's cancer type ("YES"/"NO"): equal, or one contains the other in the tumour-type tree, and
 *   CANCER (on either side) matches everything. Resist. lists, for a response, the sample's alterations that are
 *   complete resistance biomarkers to one of the same drugs.
 */
import type {
  CnaAlteration,
  FusionAlteration,
  GenomicChange,
  InputKind,
  MutationAlteration,
  ParsedInput,
} from './alterations';
import {
  coordinateKey,
  EVIDENCE_LEVELS,
  type Biomarker,
  type BiomarkerAlteration,
  type CancerGene,
  type KnowledgeBase,
  type KnownVariant,
} from './knowledge-base';

/** Our answer to "CGI version" in summary.txt. */
export const CGI_VERSION = 'Helixgate CGI 1.0';

export const ALTERATIONS_CGI_COLUMNS = [
  'CGI-Sample ID',
  'CGI-Gene',
  'CGI-Protein Change',
  'CGI-Oncogenic Summary',
  'CGI-Oncogenic Prediction',
  'CGI-External oncogenic annotation',
  'CGI-Mutation',
  'CGI-Consequence',
  'CGI-Transcript',
  'CGI-STRAND',
  'CGI-Type',
] as const;
/** alterations.tsv starts with this column (e.g. "input01_1"), then the echoed input columns, then the CGI- ones. */
export const INPUT_ID_COLUMN = 'Input ID';
export const BIOMARKERS_COLUMNS_OUT = [
  'Sample ID',
  'Alterations',
  'Biomarker',
  'Drugs',
  'Diseases',
  'Response',
  'Evidence',
  'Match',
  'Source',
  'BioM',
  'Resist.',
  'Tumor type',
] as const;
export const CNA_ANALYSIS_COLUMNS = [
  'internal_id',
  'sample',
  'gene',
  'cna',
  'cancer',
  'predicted_in_tumors',
  'gene_role',
  'known_in_tumors',
  'driver',
  'driver_statement',
  'predicted_match',
  'known_match',
] as const;

/** CGI-Oncogenic Summary values. */
export const ONCOGENIC_SUMMARY = {
  annotated: 'oncogenic (annotated)',
  predicted: 'oncogenic (predicted)',
  nonProtein: 'non-protein affecting',
  unknownVariant: 'cancer gene; variant not in the knowledge base',
  notInKnowledgeBase: 'not in the knowledge base',
  notMapped: 'genomic change not mapped',
} as const;
export type OncogenicSummary = (typeof ONCOGENIC_SUMMARY)[keyof typeof ONCOGENIC_SUMMARY];

/** CGI-Oncogenic Prediction values (empty when there is nothing to say). */
export const ONCOGENIC_PREDICTION = {
  annotated: 'driver (knowledge base)',
  truncating: 'driver (truncating variant in a tumour suppressor)',
  fusion: 'driver (fusion involving a known fusion driver)',
  unknown: 'unknown',
} as const;

/** CGI-External oncogenic annotation of an annotated alteration: the database that says so. */
export const KNOWLEDGE_BASE_NAME = 'helixgate-kb';

export interface AnalysisOptions {
  /** The job's `cancer_type` (a CGI acronym such as CANCER, HEMATO, CM, NSCLC, BRCA). */
  cancerType: string;
  reference: 'hg19' | 'hg38';
  jobId: string;
  title?: string;
  /**
   * The uploaded files' text by kind, copied verbatim to input01.tsv…; a kind left out is written back from its
   * parsed columns and rows instead.
   */
  raw?: Partial<Record<InputKind, string>>;
}

export interface OutputFile {
  name: string;
  content: string;
}

export interface AnalysisSummary {
  inputs: Array<{ name: string; kind: InputKind; format: string; alterations: number }>;
  samples: number;
  mutations: {
    total: number;
    annotated: number;
    predicted: number;
    unknownVariant: number;
    nonProtein: number;
    notInKnowledgeBase: number;
    notMapped: number;
  };
  fusions: { total: number; annotated: number; predicted: number; unknownVariant: number; notInKnowledgeBase: number };
  cnas: { total: number; knownDrivers: number; notDrivers: number; notInKnowledgeBase: number };
  /** Rows of biomarkers.tsv. */
  biomarkers: {
    total: number;
    complete: number;
    partial: number;
    matchingCancerType: number;
    responsive: number;
    resistant: number;
  };
}

export interface AnalysisResult {
  /** In order: alterations.tsv, biomarkers.tsv, [cna_analysis.tsv], input01.tsv…, summary.txt. */
  files: OutputFile[];
  /**
   * CGI-like log messages without timestamp or level ("Parsing input01.tsv", …, "Analysis done"). The last two,
   * "Compress output files" and "Analysis done", stand for the zip the caller makes right after.
   */
  logs: string[];
  summary: AnalysisSummary;
}

const KIND_ORDER: readonly InputKind[] = ['mutations', 'cnas', 'translocations'];

// ---------------------------------------------------------------------------------------------------------------
// Protein changes

const AA3: Record<string, string> = {
  Ala: 'A',
  Arg: 'R',
  Asn: 'N',
  Asp: 'D',
  Cys: 'C',
  Gln: 'Q',
  Glu: 'E',
  Gly: 'G',
  His: 'H',
  Ile: 'I',
  Leu: 'L',
  Lys: 'K',
  Met: 'M',
  Phe: 'F',
  Pro: 'P',
  Ser: 'S',
  Thr: 'T',
  Trp: 'W',
  Tyr: 'Y',
  Val: 'V',
  Ter: '*',
  Sec: 'U',
  Xaa: 'X',
};

/** "p.Val600Glu" / "p.(V600E)" / "V600E" → "V600E"; "R213X" / "Arg213Ter" → "R213*". */
export function normaliseProtein(protein: string): string {
  let s = protein.trim().replace(/^p\./i, '');
  if (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1);
  if (/^[A-Z][a-z]{2}[0-9]/.test(s))
    s = s.replace(
      /Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val|Ter|Sec|Xaa/g,
      (m) => AA3[m],
    );
  return s.replace(/^([A-Z])([0-9]+)X$/, '$1$2*');
}

/** A Sequence Ontology consequence guessed from a (normalised) protein change; "" when it cannot be told. */
export function consequenceOf(change: string): string {
  if (change === '') return '';
  if (/fs/.test(change)) return 'frameshift_variant';
  if (/delins/.test(change)) return 'protein_altering_variant';
  if (/del/.test(change)) return 'inframe_deletion';
  if (/ins|dup/.test(change)) return 'inframe_insertion';
  const m = /^([A-Z*])([0-9]+)([A-Z*=])$/.exec(change);
  if (!m) return '';
  const [, ref, pos, alt] = m;
  if (alt === '=' || alt === ref) return 'synonymous_variant';
  if (ref === '*') return 'stop_lost';
  if (alt === '*') return 'stop_gained';
  if (ref === 'M' && pos === '1') return 'start_lost';
  return 'missense_variant';
}

const isTruncating = (consequence: string) => consequence === 'stop_gained' || consequence === 'frameshift_variant';

function allele(a: string): string {
  return a === '' || a === '-' ? '-' : a.toUpperCase();
}

/** CGI-Mutation: "chr7:140753336 A>T". */
function mutationText(g: GenomicChange): string {
  return `chr${g.chr.replace(/^chr/i, '')}:${g.pos} ${allele(g.ref)}>${allele(g.alt)}`;
}

/** CGI-Type from the alleles: SNV, MNV, INS, DEL or INDEL. */
function variantType(g: GenomicChange): string {
  const ref = allele(g.ref) === '-' ? '' : g.ref.toUpperCase();
  const alt = allele(g.alt) === '-' ? '' : g.alt.toUpperCase();
  if (ref.length === 1 && alt.length === 1) return 'SNV';
  if (ref.length === alt.length && ref.length > 1) return 'MNV';
  if (ref === '' || (ref.length < alt.length && alt.startsWith(ref))) return 'INS';
  if (alt === '' || (alt.length < ref.length && ref.startsWith(alt))) return 'DEL';
  return 'INDEL';
}

// ---------------------------------------------------------------------------------------------------------------
// The knowledge base, indexed

class Index {
  readonly genes = new Map<string, CancerGene>();
  readonly transcripts = new Map<string, CancerGene>();
  readonly variantsByChange = new Map<string, KnownVariant>();
  readonly variantsByCoordinate = new Map<string, KnownVariant>();
  readonly tumourParent = new Map<string, string | null>();
  readonly tumourName = new Map<string, string>();

  constructor(readonly kb: KnowledgeBase) {
    for (const g of kb.cancerGenes) {
      this.genes.set(g.gene.toUpperCase(), g);
      for (const t of g.transcripts) this.transcripts.set(t.toUpperCase(), g);
    }
    for (const v of kb.variants) {
      this.variantsByChange.set(`${v.gene.toUpperCase()}:${v.change}`, v);
      if (v.hg19) this.variantsByCoordinate.set(coordinateKey('hg19', v.hg19), v);
      if (v.hg38) this.variantsByCoordinate.set(coordinateKey('hg38', v.hg38), v);
    }
    for (const t of kb.tumourTypes) {
      this.tumourParent.set(t.code, t.parent);
      this.tumourName.set(t.code, t.name);
    }
  }

  /** The code and every broader type above it. */
  lineage(code: string): string[] {
    const out: string[] = [];
    for (let c: string | null | undefined = code; c && !out.includes(c); c = this.tumourParent.get(c)) out.push(c);
    return out;
  }

  tumourMatches(type: string, cancerType: string): boolean {
    if (type === 'CANCER' || cancerType === 'CANCER') return true;
    return this.lineage(cancerType).includes(type) || this.lineage(type).includes(cancerType);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Interpreting alterations

/** What a sample carries, for biomarker matching. */
type Present =
  | { kind: 'mutation'; gene: string; change: string; consequence: string; label: string }
  | { kind: 'cna'; gene: string; cna: 'AMP' | 'DEL'; label: string }
  | { kind: 'fusion'; genes: [string, string]; label: string };

interface AlterationRow {
  inputId: string;
  input: Record<string, string>;
  cgi: string[];
}

interface CnaRow {
  values: string[];
  known: boolean;
  inKb: boolean;
}

function alterationMatches(p: Present, a: BiomarkerAlteration): boolean {
  const same = (x: string, y: string) => x.toUpperCase() === y.toUpperCase();
  switch (a.kind) {
    case 'protein':
      return p.kind === 'mutation' && same(p.gene, a.gene) && p.change === a.change;
    case 'codon': {
      if (p.kind !== 'mutation' || !same(p.gene, a.gene) || p.consequence !== 'missense_variant') return false;
      const m = /^([A-Z])([0-9]+)/.exec(p.change);
      return !!m && m[1] === a.ref && Number(m[2]) === a.position;
    }
    case 'truncating':
      return p.kind === 'mutation' && same(p.gene, a.gene) && isTruncating(p.consequence);
    case 'cna':
      return p.kind === 'cna' && same(p.gene, a.gene) && p.cna === a.cna;
    case 'fusion': {
      if (p.kind !== 'fusion') return false;
      const eq = (pattern: string, gene: string) => pattern === '*' || same(pattern, gene);
      const [x, y] = a.genes;
      const [g1, g2] = p.genes;
      return (eq(x, g1) && eq(y, g2)) || (eq(x, g2) && eq(y, g1));
    }
  }
}

function biomarkerLabel(b: Biomarker): string {
  return b.alterations
    .map((a) => {
      switch (a.kind) {
        case 'protein':
          return `${a.gene} (${a.change})`;
        case 'codon':
          return `${a.gene} (${a.ref}${a.position})`;
        case 'truncating':
          return `${a.gene} truncating mutation`;
        case 'cna':
          return `${a.gene} ${a.cna === 'AMP' ? 'amplification' : 'deletion'}`;
        case 'fusion': {
          const named = a.genes.filter((g) => g !== '*');
          return named.length === 2 ? `${a.genes[0]}__${a.genes[1]} fusion` : `${named[0]} fusion`;
        }
      }
    })
    .join(' + ');
}

const cell = (v: string) => v.replace(/[\t\r\n]+/g, ' ');
const tsv = (header: readonly string[], rows: string[][]) =>
  [header, ...rows].map((r) => r.map(cell).join('\t')).join('\n') + '\n';
const drugParts = (drug: string) => drug.split(' + ').map((d) => d.trim().toLowerCase());

/** Writes a parsed input back as TSV, when its raw text was not given. */
function rebuildInput(input: ParsedInput): string {
  const seen = new Set<number>();
  const rows: string[][] = [];
  for (const a of input.alterations) {
    if (seen.has(a.line)) continue;
    seen.add(a.line);
    rows.push(input.columns.map((c) => a.input[c] ?? ''));
  }
  return tsv(input.columns, rows);
}

/**
 * Interprets the inputs against the knowledge base and writes CGI's output files (see the module comment).
 * Inputs are numbered input01, input02… in the order mutations, cnas, translocations.
 */
export function analyse(inputs: ParsedInput[], kb: KnowledgeBase, options: AnalysisOptions): AnalysisResult {
  const index = new Index(kb);
  const cancerType = options.cancerType.trim().toUpperCase();
  const reference = options.reference;
  const ordered = [...inputs].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const named = ordered.map((input, i) => ({ input, name: `input${String(i + 1).padStart(2, '0')}` }));
  const logs: string[] = named.map(({ name }) => `Parsing ${name}.tsv`);

  const samples: string[] = [];
  const present = new Map<string, Present[]>();
  const addPresent = (sample: string, p: Present) => {
    if (!present.has(sample)) present.set(sample, []);
    present.get(sample)!.push(p);
  };
  const noteSample = (sample: string) => {
    if (!samples.includes(sample)) samples.push(sample);
  };

  const summary: AnalysisSummary = {
    inputs: named.map(({ input, name }) => ({
      name: `${name}.tsv`,
      kind: input.kind,
      format: input.format,
      alterations: input.alterations.length,
    })),
    samples: 0,
    mutations: {
      total: 0,
      annotated: 0,
      predicted: 0,
      unknownVariant: 0,
      nonProtein: 0,
      notInKnowledgeBase: 0,
      notMapped: 0,
    },
    fusions: { total: 0, annotated: 0, predicted: 0, unknownVariant: 0, notInKnowledgeBase: 0 },
    cnas: { total: 0, knownDrivers: 0, notDrivers: 0, notInKnowledgeBase: 0 },
    biomarkers: { total: 0, complete: 0, partial: 0, matchingCancerType: 0, responsive: 0, resistant: 0 },
  };

  // Alterations a biomarker names, to annotate mutations and fusions even before per-sample matching.
  const biomarkerAlterations = kb.biomarkers.flatMap((b) => b.alterations);

  logs.push('Check cancer genes and consensus roles');
  const alterationRows: AlterationRow[] = [];
  const cnaRows: CnaRow[] = [];
  const echoColumns: string[] = [];
  for (const { input } of named) {
    if (input.kind === 'cnas') continue;
    for (const c of input.columns) if (!echoColumns.includes(c)) echoColumns.push(c);
  }

  logs.push('Annotate validated oncogenic mutations');
  for (const { input, name } of named) {
    input.alterations.forEach((alteration, i) => {
      const inputId = `${name}_${i + 1}`;
      noteSample(alteration.sample);
      switch (alteration.kind) {
        case 'mutation':
          alterationRows.push(interpretMutation(alteration, inputId));
          break;
        case 'fusion':
          alterationRows.push(interpretFusion(alteration, inputId));
          break;
        case 'cna':
          cnaRows.push(interpretCna(alteration, inputId));
          break;
      }
    });
  }
  logs.push('Check oncogenic classification');

  function interpretMutation(m: MutationAlteration, inputId: string): AlterationRow {
    summary.mutations.total++;
    let gene: CancerGene | undefined;
    let geneText = m.gene?.trim() ?? '';
    if (geneText !== '')
      gene =
        index.genes.get(geneText.toUpperCase()) ??
        index.transcripts.get(geneText.replace(/\.[0-9]+$/, '').toUpperCase());
    if (!gene && m.transcript)
      gene = index.transcripts.get(
        m.transcript
          .trim()
          .replace(/\.[0-9]+$/, '')
          .toUpperCase(),
      );
    if (gene) geneText = gene.gene;
    else if (/^(NM|NR|XM|ENST)_?[0-9]/i.test(geneText)) geneText = '';
    let change = m.protein ? normaliseProtein(m.protein) : '';
    let genomic: GenomicChange | undefined = m.genomic;

    if (change === '' && genomic) {
      const v = index.variantsByCoordinate.get(coordinateKey(reference, genomic));
      if (v) {
        gene = index.genes.get(v.gene.toUpperCase());
        geneText = v.gene;
        change = v.change;
      }
    } else if (change !== '' && !genomic && gene) {
      genomic = index.variantsByChange.get(`${gene.gene.toUpperCase()}:${change}`)?.[reference] ?? undefined;
    }

    const consequence = consequenceOf(change);
    let oncogenic: OncogenicSummary;
    let prediction = '';
    let external = '';
    if (change === '') {
      oncogenic = m.genomic ? ONCOGENIC_SUMMARY.notMapped : ONCOGENIC_SUMMARY.notInKnowledgeBase;
    } else if (!gene) {
      oncogenic = ONCOGENIC_SUMMARY.notInKnowledgeBase;
    } else if (consequence === 'synonymous_variant') {
      oncogenic = ONCOGENIC_SUMMARY.nonProtein;
    } else {
      const p: Present = { kind: 'mutation', gene: gene.gene, change, consequence, label: `${gene.gene}:${change}` };
      const validated =
        gene.knownOncogenic.some((k) => alterationMatches(p, toPattern(gene.gene, k))) ||
        biomarkerAlterations.some((a) => (a.kind === 'protein' || a.kind === 'codon') && alterationMatches(p, a));
      if (validated) {
        oncogenic = ONCOGENIC_SUMMARY.annotated;
        prediction = ONCOGENIC_PREDICTION.annotated;
        external = KNOWLEDGE_BASE_NAME;
      } else if (gene.role !== 'Act' && isTruncating(consequence)) {
        oncogenic = ONCOGENIC_SUMMARY.predicted;
        prediction = ONCOGENIC_PREDICTION.truncating;
      } else {
        oncogenic = ONCOGENIC_SUMMARY.unknownVariant;
        prediction = ONCOGENIC_PREDICTION.unknown;
      }
    }
    if (gene && change !== '') {
      addPresent(m.sample, { kind: 'mutation', gene: gene.gene, change, consequence, label: `${gene.gene}:${change}` });
    }
    countMutation(oncogenic);
    return {
      inputId,
      input: m.input,
      cgi: [
        m.sample,
        geneText,
        change,
        oncogenic,
        prediction,
        external,
        genomic ? mutationText(genomic) : '',
        consequence,
        m.transcript ?? '',
        genomic ? '+' : '',
        genomic ? variantType(genomic) : '',
      ],
    };
  }

  function countMutation(s: OncogenicSummary): void {
    const c = summary.mutations;
    if (s === ONCOGENIC_SUMMARY.annotated) c.annotated++;
    else if (s === ONCOGENIC_SUMMARY.predicted) c.predicted++;
    else if (s === ONCOGENIC_SUMMARY.nonProtein) c.nonProtein++;
    else if (s === ONCOGENIC_SUMMARY.unknownVariant) c.unknownVariant++;
    else if (s === ONCOGENIC_SUMMARY.notMapped) c.notMapped++;
    else c.notInKnowledgeBase++;
  }

  function interpretFusion(f: FusionAlteration, inputId: string): AlterationRow {
    summary.fusions.total++;
    const p: Present = { kind: 'fusion', genes: f.genes, label: `${f.genes[0]}__${f.genes[1]}` };
    addPresent(f.sample, p);
    const genes = f.genes.map((g) => index.genes.get(g.toUpperCase())).filter((g): g is CancerGene => !!g);
    let oncogenic: OncogenicSummary;
    let prediction = '';
    let external = '';
    if (biomarkerAlterations.some((a) => alterationMatches(p, a))) {
      oncogenic = ONCOGENIC_SUMMARY.annotated;
      prediction = ONCOGENIC_PREDICTION.annotated;
      external = KNOWLEDGE_BASE_NAME;
      summary.fusions.annotated++;
    } else if (genes.some((g) => g.driverAlterations.includes('FUS'))) {
      oncogenic = ONCOGENIC_SUMMARY.predicted;
      prediction = ONCOGENIC_PREDICTION.fusion;
      summary.fusions.predicted++;
    } else if (genes.length > 0) {
      oncogenic = ONCOGENIC_SUMMARY.unknownVariant;
      prediction = ONCOGENIC_PREDICTION.unknown;
      summary.fusions.unknownVariant++;
    } else {
      oncogenic = ONCOGENIC_SUMMARY.notInKnowledgeBase;
      summary.fusions.notInKnowledgeBase++;
    }
    return {
      inputId,
      input: f.input,
      cgi: [f.sample, p.label, '', oncogenic, prediction, external, '', '', '', '', 'FUSION'],
    };
  }

  function interpretCna(c: CnaAlteration, inputId: string): CnaRow {
    summary.cnas.total++;
    const gene = index.genes.get(c.gene.trim().toUpperCase());
    const cna = c.cna.toUpperCase() as 'AMP' | 'DEL';
    addPresent(c.sample, {
      kind: 'cna',
      gene: gene?.gene ?? c.gene.trim(),
      cna,
      label: `${gene?.gene ?? c.gene.trim()}:${cna}`,
    });
    let knownIn: string[] = [];
    let driver: string;
    let statement: string;
    if (!gene) {
      driver = 'unknown';
      statement = ONCOGENIC_SUMMARY.notInKnowledgeBase;
      summary.cnas.notInKnowledgeBase++;
    } else if (gene.driverAlterations.includes(cna)) {
      knownIn = gene.knownInTumors;
      driver = 'known';
      statement = `known in: ${knownIn.join(';')}`;
      summary.cnas.knownDrivers++;
    } else {
      driver = 'unknown';
      statement = `cancer gene (${gene.role}); ${cna} not known as a driver alteration`;
      summary.cnas.notDrivers++;
    }
    const matching = knownIn.filter((t) => index.tumourMatches(t, cancerType));
    return {
      known: driver === 'known',
      inKb: !!gene,
      values: [
        inputId,
        c.sample,
        gene?.gene ?? c.gene,
        cna,
        cancerType,
        '',
        gene?.role ?? '',
        knownIn.join(';'),
        driver,
        statement,
        '',
        matching.length > 0 ? `known in: ${matching.join(';')}` : '',
      ],
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Biomarkers, per sample
  logs.push('Matching biomarkers');
  interface BiomarkerHit {
    sample: string;
    sampleOrder: number;
    biomarker: Biomarker;
    labels: string[];
    complete: boolean;
    match: boolean;
  }
  const hits: BiomarkerHit[] = [];
  samples.forEach((sample, sampleOrder) => {
    const carried = present.get(sample) ?? [];
    for (const biomarker of kb.biomarkers) {
      const labels: string[] = [];
      let found = 0;
      for (const a of biomarker.alterations) {
        const matched = carried.filter((p) => alterationMatches(p, a));
        if (matched.length > 0) found++;
        for (const p of matched) if (!labels.includes(p.label)) labels.push(p.label);
      }
      if (found === 0) continue;
      hits.push({
        sample,
        sampleOrder,
        biomarker,
        labels,
        complete: found === biomarker.alterations.length,
        match: biomarker.tumorTypes.some((t) => index.tumourMatches(t, cancerType)),
      });
    }
  });
  const evidenceRank = (h: BiomarkerHit) => EVIDENCE_LEVELS.indexOf(h.biomarker.evidence);
  hits.sort(
    (a, b) =>
      a.sampleOrder - b.sampleOrder ||
      Number(b.match) - Number(a.match) ||
      Number(b.complete) - Number(a.complete) ||
      evidenceRank(a) - evidenceRank(b) ||
      a.biomarker.line - b.biomarker.line,
  );
  const biomarkerRows = hits.map((h) => {
    const resist: string[] = [];
    if (h.biomarker.response === 'Responsive') {
      const drugs = new Set(h.biomarker.drugs.flatMap(drugParts));
      for (const other of hits) {
        if (other.sample !== h.sample || !other.complete || other.biomarker.response !== 'Resistant') continue;
        if (!other.biomarker.drugs.flatMap(drugParts).some((d) => drugs.has(d))) continue;
        for (const l of other.labels) if (!resist.includes(l) && !h.labels.includes(l)) resist.push(l);
      }
    }
    const s = summary.biomarkers;
    s.total++;
    if (h.complete) s.complete++;
    else s.partial++;
    if (h.match) s.matchingCancerType++;
    if (h.biomarker.response === 'Responsive') s.responsive++;
    else s.resistant++;
    return [
      h.sample,
      h.labels.join(', '),
      biomarkerLabel(h.biomarker),
      h.biomarker.drugs.join(', '),
      h.biomarker.tumorTypes.map((t) => index.tumourName.get(t) ?? t).join(', '),
      h.biomarker.response,
      h.biomarker.evidence,
      h.match ? 'YES' : 'NO',
      h.biomarker.source,
      h.complete ? 'complete' : 'partial',
      resist.sort().join(', '),
      h.biomarker.tumorTypes.join(', '),
    ];
  });
  logs.push('Prescription finished');

  // -------------------------------------------------------------------------------------------------------------
  // Files
  logs.push('Aggregate metrics');
  summary.samples = samples.length;
  const files: OutputFile[] = [];
  files.push({
    name: 'alterations.tsv',
    content: tsv(
      [INPUT_ID_COLUMN, ...echoColumns, ...ALTERATIONS_CGI_COLUMNS],
      alterationRows.map((r) => [r.inputId, ...echoColumns.map((c) => r.input[c] ?? ''), ...r.cgi]),
    ),
  });
  files.push({ name: 'biomarkers.tsv', content: tsv(BIOMARKERS_COLUMNS_OUT, biomarkerRows) });
  if (named.some(({ input }) => input.kind === 'cnas')) {
    files.push({
      name: 'cna_analysis.tsv',
      content: tsv(
        CNA_ANALYSIS_COLUMNS,
        cnaRows.map((r) => r.values),
      ),
    });
  }
  for (const { input, name } of named) {
    files.push({ name: `${name}.tsv`, content: options.raw?.[input.kind] ?? rebuildInput(input) });
  }
  files.push({ name: 'summary.txt', content: summaryText(summary, kb, options, cancerType) });
  logs.push('Compress output files', 'Analysis done');
  return { files, logs, summary };
}

/** A known_oncogenic entry ("V600E" or "V600") as a biomarker-style pattern. */
function toPattern(gene: string, change: string): BiomarkerAlteration {
  const codon = /^([A-Z])([0-9]+)$/.exec(change);
  return codon ? { kind: 'codon', gene, ref: codon[1], position: Number(codon[2]) } : { kind: 'protein', gene, change };
}

function summaryText(s: AnalysisSummary, kb: KnowledgeBase, options: AnalysisOptions, cancerType: string): string {
  const lines = ['=== Summary of the analysis ===', `Analysis ID: ${options.jobId}`];
  if (options.title !== undefined && options.title !== '') lines.push(`Title: ${cell(options.title)}`);
  lines.push(
    `CGI version: ${CGI_VERSION}`,
    `Knowledge base: ${kb.version} (${kb.cancerGenes.length} cancer genes, ${kb.biomarkers.length} biomarkers)`,
    `Cancer type: ${cancerType}`,
    `Reference genome: ${options.reference}`,
    '',
    '=== Input ===',
    ...s.inputs.map(
      (i) => `${i.name}: ${i.kind} (${i.format}), ${i.alterations} alteration${i.alterations === 1 ? '' : 's'}`,
    ),
    `Samples: ${s.samples}`,
    `Mutations: ${s.mutations.total}`,
    `Copy number alterations: ${s.cnas.total}`,
    `Fusions: ${s.fusions.total}`,
    '',
    '=== Drivers ===',
    `Drivers: ${s.mutations.annotated + s.mutations.predicted + s.fusions.annotated + s.fusions.predicted + s.cnas.knownDrivers}`,
    `Mutations, oncogenic (annotated): ${s.mutations.annotated}`,
    `Mutations, oncogenic (predicted): ${s.mutations.predicted}`,
    `Mutations, cancer gene but variant not in the knowledge base: ${s.mutations.unknownVariant}`,
    `Mutations, non-protein affecting: ${s.mutations.nonProtein}`,
    `Mutations, gene not in the knowledge base: ${s.mutations.notInKnowledgeBase}`,
    `Mutations, genomic change not mapped: ${s.mutations.notMapped}`,
    `Copy number alterations, known drivers: ${s.cnas.knownDrivers}`,
    `Copy number alterations, cancer gene but not a driver alteration: ${s.cnas.notDrivers}`,
    `Copy number alterations, gene not in the knowledge base: ${s.cnas.notInKnowledgeBase}`,
    `Fusions, oncogenic (annotated): ${s.fusions.annotated}`,
    `Fusions, oncogenic (predicted): ${s.fusions.predicted}`,
    `Fusions, cancer gene but fusion not in the knowledge base: ${s.fusions.unknownVariant}`,
    `Fusions, genes not in the knowledge base: ${s.fusions.notInKnowledgeBase}`,
    '',
    '=== Biomarkers ===',
    `Biomarkers: ${s.biomarkers.total}`,
    `Complete matches: ${s.biomarkers.complete}`,
    `Partial matches: ${s.biomarkers.partial}`,
    `Matching the cancer type: ${s.biomarkers.matchingCancerType}`,
    `Responsive: ${s.biomarkers.responsive}`,
    `Resistant: ${s.biomarkers.resistant}`,
  );
  return lines.join('\n') + '\n';
}
