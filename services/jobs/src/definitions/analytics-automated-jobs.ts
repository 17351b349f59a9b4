import { type JobDefinition, SEQUENCE_QUERY_MAX_BYTES } from '@helixgate/contracts';

/** The largest FASTA whose base64 fits in a typing-db sequence query (with room for the JSON around it). */
const TYPABLE_FASTA_MAX_BYTES = Math.floor(((SEQUENCE_QUERY_MAX_BYTES - 1024) * 3) / 4);

/**
 * The analytics_automated jobs Helixgate ships, put in place at start when a job of the name is missing (an
 * operator's own definition of the same name is kept):
 * - `mlst`: types an assembly (FASTA) against a PubMLST scheme held by typing-db; `mlst_species` names the
 *   database (`sepidermidis` → pubmlst_sepidermidis_seqdef), scheme 1; the profile as JSON and TSV.
 * - `fasta_stats`: contigs, total length, N50, L50, GC of an assembly, as JSON and TSV.
 * - `psipred`: a protein's secondary structure in PSIPRED's .ss2 and .horiz formats, so that A_A's example
 *   client send_fasta.py runs unchanged; the prediction is Chou-Fasman's, not PSIPRED's network.
 */
export const ANALYTICS_AUTOMATED_STARTER_JOBS: JobDefinition[] = [
  {
    name: 'mlst',
    description: 'Sequence type of an assembly against a PubMLST scheme (typing-db): profile as JSON and TSV',
    runnable: true,
    analyticsAutomated: true,
    validators: ['nucleotide_fasta'],
    inputMaxBytes: TYPABLE_FASTA_MAX_BYTES,
    steps: [
      {
        order: 1,
        task: {
          kind: 'builtin',
          name: 'mlst',
          builtin: 'mlst-typing',
          inGlobs: [],
          timeoutSeconds: 3600,
          parameters: [{ name: 'species', flag: '', boolValued: false, switchless: false, spacing: true }],
        },
      },
    ],
  },
  {
    name: 'fasta_stats',
    description: 'Assembly statistics: contigs, total length, N50, L50, GC content',
    runnable: true,
    analyticsAutomated: true,
    validators: ['nucleotide_fasta'],
    steps: [
      {
        order: 1,
        task: {
          kind: 'builtin',
          name: 'fasta_stats',
          builtin: 'fasta-stats',
          inGlobs: [],
          timeoutSeconds: 600,
          parameters: [],
        },
      },
    ],
  },
  {
    name: 'psipred',
    description: 'Protein secondary structure (Chou-Fasman) in PSIPRED .ss2 and .horiz formats',
    runnable: true,
    analyticsAutomated: true,
    validators: ['seq'],
    steps: [
      {
        order: 1,
        task: {
          kind: 'builtin',
          name: 'psipred',
          builtin: 'secondary-structure',
          inGlobs: [],
          timeoutSeconds: 600,
          parameters: [],
        },
      },
    ],
  },
];
