/**
 * What CGI's input files hold once read (https://www.cancergenomeinterpreter.org/formats): tab-separated
 * tables with a header, an optional `sample` column everywhere, and any other column carried through to the
 * output untouched. The parsers (inputs.ts) produce these; the analysis (analysis.ts) reads them.
 */

/** The three files a CGI job may be launched with. */
export type InputKind = 'mutations' | 'cnas' | 'translocations';

/** How a mutations file was written; CNAs and translocations have one format each. */
export type InputFormat = 'protein' | 'gdna' | 'tabular' | 'vcf' | 'cna' | 'fusion';

/** A genomic change as `chr pos ref alt` (1-based; '-' or '' for an empty allele), chromosome without "chr". */
export interface GenomicChange {
  chr: string;
  pos: number;
  ref: string;
  alt: string;
}

interface AlterationBase {
  /** 1-based line of the input file the alteration came from (the header is line 1). */
  line: number;
  /** The `sample` column, or the file's single sample when there is none. */
  sample: string;
  /** Every column of the input row, by header name, as written: echoed into the output tables. */
  input: Record<string, string>;
}

export interface MutationAlteration extends AlterationBase {
  kind: 'mutation';
  /** From protein HGVS (`TP53:p.R248Q`): the gene or transcript before the colon, as written. */
  gene?: string;
  transcript?: string;
  /** The protein change without "p.", e.g. "R248Q", "I1557fs*30". */
  protein?: string;
  /** From genomic HGVS, a chr/pos/ref/alt table, or VCF. */
  genomic?: GenomicChange;
}

export interface CnaAlteration extends AlterationBase {
  kind: 'cna';
  gene: string;
  cna: 'AMP' | 'DEL';
}

export interface FusionAlteration extends AlterationBase {
  kind: 'fusion';
  /** `BCR__ABL1` → ["BCR", "ABL1"]. */
  genes: [string, string];
}

export type Alteration = MutationAlteration | CnaAlteration | FusionAlteration;

/** One input file, read. */
export interface ParsedInput {
  kind: InputKind;
  format: InputFormat;
  /** Header columns in file order (for VCF: CHROM POS ID REF ALT …). */
  columns: string[];
  alterations: Alteration[];
}

/** A problem with an input file: a client error, naming the file and the line. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly file: InputKind,
    readonly line: number | undefined,
    message: string,
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file}, line ${line}: ${message}`);
  }
}
