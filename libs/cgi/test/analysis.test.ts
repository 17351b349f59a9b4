import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Alteration, GenomicChange, MutationAlteration, ParsedInput } from '../src/alterations';
import { analyse, normaliseProtein, type AnalysisOptions, type AnalysisResult } from '../src/analysis';
import { parseKnowledgeBase } from '../src/knowledge-base';

const KB_DIR = join(__dirname, '..', '..', 'knowledge-base');
const kb = parseKnowledgeBase({
  cancerGenes: readFileSync(join(KB_DIR, 'cancer_genes.tsv'), 'utf8'),
  biomarkers: readFileSync(join(KB_DIR, 'biomarkers.tsv'), 'utf8'),
});

// ParsedInput values written by hand, as inputs.ts would produce them.
function proteins(rows: Array<[sample: string, hgvs: string]>): ParsedInput {
  return {
    kind: 'mutations',
    format: 'protein',
    columns: ['sample', 'protein'],
    alterations: rows.map(([sample, hgvs], i): MutationAlteration => {
      const [before, protein] = hgvs.split(':p.');
      const isTranscript = /^(NM|ENST)_?\d/.test(before);
      return {
        kind: 'mutation',
        line: i + 2,
        sample,
        input: { sample, protein: hgvs },
        ...(isTranscript ? { transcript: before } : { gene: before }),
        protein,
      };
    }),
  };
}
function genomic(rows: Array<[sample: string, chr: string, pos: number, ref: string, alt: string]>): ParsedInput {
  return {
    kind: 'mutations',
    format: 'tabular',
    columns: ['chr', 'pos', 'ref', 'alt', 'sample'],
    alterations: rows.map(([sample, chr, pos, ref, alt], i): Alteration => {
      const g: GenomicChange = { chr: chr.replace(/^chr/, ''), pos, ref, alt };
      return { kind: 'mutation', line: i + 2, sample, input: { chr, pos: String(pos), ref, alt, sample }, genomic: g };
    }),
  };
}
function cnas(rows: Array<[sample: string, gene: string, cna: 'AMP' | 'DEL']>): ParsedInput {
  return {
    kind: 'cnas',
    format: 'cna',
    columns: ['sample', 'gene', 'cna'],
    alterations: rows.map(([sample, gene, cna], i) => ({
      kind: 'cna',
      line: i + 2,
      sample,
      input: { sample, gene, cna },
      gene,
      cna,
    })),
  };
}
function fusions(rows: Array<[sample: string, fus: string]>): ParsedInput {
  return {
    kind: 'translocations',
    format: 'fusion',
    columns: ['sample', 'fus'],
    alterations: rows.map(([sample, fus], i) => {
      const [a, b] = fus.split('__');
      return { kind: 'fusion', line: i + 2, sample, input: { sample, fus }, genes: [a, b] as [string, string] };
    }),
  };
}

const run = (inputs: ParsedInput[], options: Partial<AnalysisOptions> = {}, base = kb) =>
  analyse(inputs, base, { cancerType: 'CANCER', reference: 'hg38', jobId: 'c22ecf2af788d65ec257', ...options });

/** A TSV output file as objects keyed by header (and the header itself). */
function table(result: AnalysisResult, name: string): { header: string[]; rows: Array<Record<string, string>> } {
  const file = result.files.find((f) => f.name === name);
  assert.ok(file, `${name} is missing`);
  assert.ok(file.content.endsWith('\n'));
  const [header, ...lines] = file.content
    .slice(0, -1)
    .split('\n')
    .map((l) => l.split('\t'));
  return {
    header,
    rows: lines.map(
      (cells) => (assert.equal(cells.length, header.length), Object.fromEntries(header.map((h, i) => [h, cells[i]]))),
    ),
  };
}
const biomarkerRows = (r: AnalysisResult) => table(r, 'biomarkers.tsv').rows;
const alterationRows = (r: AnalysisResult) => table(r, 'alterations.tsv').rows;

const CGI_COLUMNS = [
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
];
const BIOMARKER_COLUMNS = [
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
];
const CNA_COLUMNS = [
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
];

describe('CGI analysis: output files', () => {
  const raw = { mutations: 'sample\tprotein\nS1\tBRAF:p.V600E\n', cnas: 'sample\tgene\tcna\nS1\tERBB2\tAMP\n' };
  const result = run(
    [fusions([['S1', 'BCR__ABL1']]), cnas([['S1', 'ERBB2', 'AMP']]), proteins([['S1', 'BRAF:p.V600E']])],
    { cancerType: 'CM', jobId: 'c22ecf2af788d65ec257', title: 'Somatic WP048', raw },
  );

  test('files in order; inputs numbered mutations, cnas, translocations', () => {
    assert.deepEqual(
      result.files.map((f) => f.name),
      [
        'alterations.tsv',
        'biomarkers.tsv',
        'cna_analysis.tsv',
        'input01.tsv',
        'input02.tsv',
        'input03.tsv',
        'summary.txt',
      ],
    );
    assert.equal(result.files[3].content, raw.mutations, 'raw text copied verbatim');
    assert.equal(result.files[4].content, raw.cnas);
    assert.equal(
      result.files[5].content,
      'sample\tfus\nS1\tBCR__ABL1\n',
      'without raw text, the parsed rows are written back',
    );
  });

  test('headers exactly as CGI writes them', () => {
    assert.deepEqual(table(result, 'alterations.tsv').header, ['Input ID', 'sample', 'protein', 'fus', ...CGI_COLUMNS]);
    assert.deepEqual(table(result, 'biomarkers.tsv').header, BIOMARKER_COLUMNS);
    assert.deepEqual(table(result, 'cna_analysis.tsv').header, CNA_COLUMNS);
  });

  test('one alterations row per mutation and fusion, with input ids', () => {
    const rows = alterationRows(result);
    assert.deepEqual(
      rows.map((r) => [r['Input ID'], r['CGI-Gene'], r['CGI-Type']]),
      [
        ['input01_1', 'BRAF', 'SNV'],
        ['input03_1', 'BCR__ABL1', 'FUSION'],
      ],
    );
    assert.equal(rows[0].protein, 'BRAF:p.V600E', 'input columns echoed');
    assert.equal(rows[0].fus, '');
    assert.equal(rows[1].fus, 'BCR__ABL1');
  });

  test('summary.txt and the log', () => {
    const summary = result.files.find((f) => f.name === 'summary.txt')!.content;
    assert.ok(
      summary.startsWith(
        '=== Summary of the analysis ===\nAnalysis ID: c22ecf2af788d65ec257\nTitle: Somatic WP048\nCGI version: Helixgate CGI 1.0\n',
      ),
      summary,
    );
    for (const line of [
      'Cancer type: CM',
      'Reference genome: hg38',
      'input01.tsv: mutations (protein), 1 alteration',
      'Mutations: 1',
      'Copy number alterations: 1',
      'Fusions: 1',
      'Drivers: 3',
      'Biomarkers: 6',
      'Matching the cancer type: 1',
    ]) {
      assert.ok(summary.split('\n').includes(line), `${line}\n---\n${summary}`);
    }
    assert.deepEqual(result.logs.slice(0, 3), ['Parsing input01.tsv', 'Parsing input02.tsv', 'Parsing input03.tsv']);
    assert.ok(result.logs.includes('Matching biomarkers'));
    assert.equal(result.logs.at(-1), 'Analysis done');
    assert.deepEqual(result.summary.biomarkers, {
      total: 6,
      complete: 6,
      partial: 0,
      matchingCancerType: 1,
      responsive: 6,
      resistant: 0,
    });
  });

  test('deterministic', () => {
    const again = run(
      [fusions([['S1', 'BCR__ABL1']]), cnas([['S1', 'ERBB2', 'AMP']]), proteins([['S1', 'BRAF:p.V600E']])],
      { cancerType: 'CM', jobId: 'c22ecf2af788d65ec257', title: 'Somatic WP048', raw },
    );
    assert.deepEqual(again, result);
  });

  test('no cna_analysis.tsv without CNAs; alterations.tsv and biomarkers.tsv always', () => {
    assert.deepEqual(
      run([proteins([['S1', 'TP53:p.R175H']])]).files.map((f) => f.name),
      ['alterations.tsv', 'biomarkers.tsv', 'input01.tsv', 'summary.txt'],
    );
    const onlyCnas = run([cnas([['S1', 'CDKN2A', 'DEL']])]);
    assert.deepEqual(
      onlyCnas.files.map((f) => f.name),
      ['alterations.tsv', 'biomarkers.tsv', 'cna_analysis.tsv', 'input01.tsv', 'summary.txt'],
    );
    assert.equal(onlyCnas.files[0].content, ['Input ID', ...CGI_COLUMNS].join('\t') + '\n');
    assert.equal(onlyCnas.files[1].content, BIOMARKER_COLUMNS.join('\t') + '\n');
  });
});

describe('CGI analysis: interpretation', () => {
  test('BRAF V600E in melanoma: responsive, FDA, matching the cancer type; other tumour types kept as NO', () => {
    const r = run([proteins([['S1', 'BRAF:p.V600E']])], { cancerType: 'CM' });
    const [alt] = alterationRows(r);
    assert.equal(alt['CGI-Protein Change'], 'V600E');
    assert.equal(alt['CGI-Oncogenic Summary'], 'oncogenic (annotated)');
    assert.equal(alt['CGI-External oncogenic annotation'], 'helixgate-kb');
    assert.equal(alt['CGI-Consequence'], 'missense_variant');
    assert.equal(alt['CGI-Mutation'], 'chr7:140753336 A>T', 'hg38 coordinates from the knowledge base');
    const rows = biomarkerRows(r);
    assert.deepEqual(rows[0], {
      'Sample ID': 'S1',
      Alterations: 'BRAF:V600E',
      Biomarker: 'BRAF (V600E)',
      Drugs: 'Vemurafenib, Dabrafenib',
      Diseases: 'Cutaneous melanoma',
      Response: 'Responsive',
      Evidence: 'FDA guidelines',
      Match: 'YES',
      Source: 'FDA',
      BioM: 'complete',
      'Resist.': '',
      'Tumor type': 'CM',
    });
    const others = rows.slice(1);
    assert.ok(others.length >= 2);
    assert.ok(others.every((row) => row.Match === 'NO' && row.BioM === 'complete'));
    assert.ok(others.some((row) => row['Tumor type'] === 'NSCLC' && row.Drugs === 'Dabrafenib + Trametinib'));
  });

  test('EGFR L858R + T790M in NSCLC: osimertinib response, erlotinib/gefitinib resistance, flagged on the L858R row', () => {
    const rows = biomarkerRows(
      run(
        [
          proteins([
            ['P1', 'EGFR:p.L858R'],
            ['P1', 'EGFR:p.T790M'],
          ]),
        ],
        { cancerType: 'NSCLC' },
      ),
    );
    const t790m = rows.filter((row) => row.Alterations === 'EGFR:T790M');
    const osimertinib = t790m.find((row) => row.Response === 'Responsive')!;
    assert.equal(osimertinib.Drugs, 'Osimertinib');
    assert.equal(osimertinib.Evidence, 'FDA guidelines');
    assert.equal(osimertinib.Match, 'YES');
    const resistant = t790m.find((row) => row.Response === 'Resistant')!;
    assert.equal(resistant.Drugs, 'Erlotinib, Gefitinib');
    assert.equal(resistant.Match, 'YES');
    assert.equal(resistant.Source, 'NCCN');
    const l858r = rows.find((row) => row.Alterations === 'EGFR:L858R')!;
    assert.equal(l858r.Response, 'Responsive');
    assert.equal(l858r['Resist.'], 'EGFR:T790M');
    assert.equal(osimertinib['Resist.'], '');
    // T790M alone: both rows, no Resist. on its own response
    const alone = biomarkerRows(run([proteins([['P2', 'EGFR:p.T790M']])], { cancerType: 'NSCLC' }));
    assert.deepEqual(alone.map((row) => row.Response).sort(), ['Resistant', 'Responsive']);
  });

  test('BCR__ABL1 fusion in CML: imatinib & co.; either gene order matches', () => {
    for (const fus of ['BCR__ABL1', 'ABL1__BCR']) {
      const r = run([fusions([['S1', fus]])], { cancerType: 'CML' });
      const [alt] = alterationRows(r);
      assert.equal(alt['CGI-Gene'], fus);
      assert.equal(alt['CGI-Oncogenic Summary'], 'oncogenic (annotated)');
      assert.equal(alt['CGI-Type'], 'FUSION');
      const [row] = biomarkerRows(r);
      assert.equal(row.Alterations, fus);
      assert.equal(row.Biomarker, 'BCR__ABL1 fusion');
      assert.match(row.Drugs, /^Imatinib, Dasatinib, Nilotinib, Bosutinib$/);
      assert.equal(row.Match, 'YES');
      assert.equal(row.Diseases, 'Chronic myeloid leukemia');
    }
  });

  test('ABL1 T315I given on a RefSeq transcript; any-partner fusions (EML4__ALK)', () => {
    const r = run([proteins([['S1', 'NM_005157:p.T315I']]), fusions([['S1', 'EML4__ALK']])], { cancerType: 'CML' });
    const [t315i, alk] = alterationRows(r);
    assert.equal(t315i['CGI-Gene'], 'ABL1');
    assert.equal(t315i['CGI-Transcript'], 'NM_005157');
    assert.equal(t315i['CGI-Mutation'], 'chr9:130872896 C>T');
    const rows = biomarkerRows(r);
    assert.ok(
      rows.some(
        (row) => row.Alterations === 'ABL1:T315I' && row.Drugs === 'Ponatinib, Asciminib' && row.Match === 'YES',
      ),
    );
    assert.ok(
      rows.some(
        (row) => row.Alterations === 'ABL1:T315I' && row.Response === 'Resistant' && /Imatinib/.test(row.Drugs),
      ),
    );
    assert.equal(alk['CGI-Oncogenic Summary'], 'oncogenic (annotated)');
    assert.ok(
      rows.some(
        (row) =>
          row.Alterations === 'EML4__ALK' &&
          row.Biomarker === 'ALK fusion' &&
          /Crizotinib/.test(row.Drugs) &&
          row.Match === 'NO',
      ),
    );
  });

  test('ERBB2 amplification in breast cancer: cna_analysis and biomarkers', () => {
    const r = run(
      [
        cnas([
          ['S1', 'ERBB2', 'AMP'],
          ['S1', 'ERBB2', 'DEL'],
          ['S1', 'FOO1', 'AMP'],
        ]),
      ],
      { cancerType: 'BRCA' },
    );
    const { rows } = table(r, 'cna_analysis.tsv');
    assert.deepEqual(rows[0], {
      internal_id: 'input01_1',
      sample: 'S1',
      gene: 'ERBB2',
      cna: 'AMP',
      cancer: 'BRCA',
      predicted_in_tumors: '',
      gene_role: 'Act',
      known_in_tumors: 'BRCA;ST;NSCLC;BLCA',
      driver: 'known',
      driver_statement: 'known in: BRCA;ST;NSCLC;BLCA',
      predicted_match: '',
      known_match: 'known in: BRCA',
    });
    assert.equal(rows[1].driver, 'unknown');
    assert.equal(rows[1].driver_statement, 'cancer gene (Act); DEL not known as a driver alteration');
    assert.equal(rows[2].driver_statement, 'not in the knowledge base', 'unknown genes kept');
    assert.equal(rows[2].gene_role, '');
    const bms = biomarkerRows(r);
    const trastuzumab = bms.find((row) => row.Match === 'YES')!;
    assert.equal(trastuzumab.Alterations, 'ERBB2:AMP');
    assert.equal(trastuzumab.Biomarker, 'ERBB2 amplification');
    assert.match(trastuzumab.Drugs, /^Trastuzumab, /);
    assert.equal(trastuzumab.Diseases, 'Breast adenocarcinoma');
    assert.ok(bms.some((row) => row['Tumor type'] === 'ST' && row.Match === 'NO'));
  });

  test('what the knowledge base cannot interpret is kept, and says so', () => {
    const r = run([
      proteins([
        ['S1', 'FOO1:p.A12V'],
        ['S1', 'TP53:p.R213Q'],
        ['S1', 'TP53:p.R175H'],
        ['S1', 'BRCA1:p.R1443*'],
        ['S1', 'KRAS:p.G12G'],
        ['S1', 'NM_999999:p.A1V'],
      ]),
    ]);
    assert.deepEqual(
      alterationRows(r).map((row) => [
        row['CGI-Gene'],
        row['CGI-Protein Change'],
        row['CGI-Oncogenic Summary'],
        row['CGI-Oncogenic Prediction'],
      ]),
      [
        ['FOO1', 'A12V', 'not in the knowledge base', ''],
        ['TP53', 'R213Q', 'cancer gene; variant not in the knowledge base', 'unknown'],
        ['TP53', 'R175H', 'oncogenic (annotated)', 'driver (knowledge base)'],
        ['BRCA1', 'R1443*', 'oncogenic (predicted)', 'driver (truncating variant in a tumour suppressor)'],
        ['KRAS', 'G12G', 'non-protein affecting', ''],
        ['', 'A1V', 'not in the knowledge base', ''],
      ],
    );
    assert.deepEqual(r.summary.mutations, {
      total: 6,
      annotated: 1,
      predicted: 1,
      unknownVariant: 1,
      nonProtein: 1,
      notInKnowledgeBase: 2,
      notMapped: 0,
    });
    // The truncating BRCA1 change still matches the olaparib biomarker.
    assert.ok(
      biomarkerRows(r).some(
        (row) =>
          row.Alterations === 'BRCA1:R1443*' &&
          row.Biomarker === 'BRCA1 truncating mutation' &&
          row.Drugs === 'Olaparib',
      ),
    );
    assert.ok(
      !biomarkerRows(r).some((row) => row.Alterations.startsWith('KRAS')),
      'a synonymous change matches no codon biomarker',
    );
  });

  test('genomic BRAF V600E: mapped through the hg38 coordinates, not mapped on hg19', () => {
    const input = genomic([
      ['S1', 'chr7', 140753336, 'A', 'T'],
      ['S1', '17', 7675088, 'C', 'T'],
    ]);
    const r = run([input], { cancerType: 'CM', reference: 'hg38' });
    const [braf, other] = alterationRows(r);
    assert.equal(braf.chr, 'chr7', 'input columns echoed as written');
    assert.deepEqual(
      [
        braf['CGI-Gene'],
        braf['CGI-Protein Change'],
        braf['CGI-Oncogenic Summary'],
        braf['CGI-Mutation'],
        braf['CGI-STRAND'],
        braf['CGI-Type'],
      ],
      ['BRAF', 'V600E', 'oncogenic (annotated)', 'chr7:140753336 A>T', '+', 'SNV'],
    );
    assert.deepEqual(
      [other['CGI-Gene'], other['CGI-Oncogenic Summary'], other['CGI-Mutation']],
      ['', 'genomic change not mapped', 'chr17:7675088 C>T'],
    );
    assert.equal(biomarkerRows(r)[0].Drugs, 'Vemurafenib, Dabrafenib');
    assert.equal(biomarkerRows(r)[0].Match, 'YES');

    const hg19 = run([input], { cancerType: 'CM', reference: 'hg19' });
    assert.equal(alterationRows(hg19)[0]['CGI-Oncogenic Summary'], 'genomic change not mapped');
    assert.equal(biomarkerRows(hg19).length, 0);
    const hg19Braf = run([genomic([['S1', '7', 140453136, 'A', 'T']])], { reference: 'hg19' });
    assert.equal(alterationRows(hg19Braf)[0]['CGI-Protein Change'], 'V600E');
  });

  test('cancer-type matching: exact, broader/narrower types, CANCER on either side', () => {
    const match = (cancerType: string) =>
      biomarkerRows(
        run(
          [
            proteins([['S1', 'EGFR:p.L858R']]),
            fusions([
              ['S1', 'ETV6__NTRK3'],
              ['S1', 'BCR__ABL1'],
            ]),
          ],
          { cancerType },
        ),
      ).map((row) => `${row.Alterations}:${row.Match}`);
    assert.deepEqual(match('NSCLC').sort(), ['BCR__ABL1:NO', 'EGFR:L858R:YES', 'ETV6__NTRK3:YES']);
    assert.deepEqual(
      match('LUAD').sort(),
      ['BCR__ABL1:NO', 'EGFR:L858R:YES', 'ETV6__NTRK3:YES'],
      'a lung adenocarcinoma is a NSCLC',
    );
    assert.deepEqual(
      match('HEMATO').sort(),
      ['BCR__ABL1:YES', 'EGFR:L858R:NO', 'ETV6__NTRK3:YES'],
      'CML is a hematologic malignancy',
    );
    assert.deepEqual(
      match('BRCA').sort(),
      ['BCR__ABL1:NO', 'EGFR:L858R:NO', 'ETV6__NTRK3:YES'],
      'a CANCER biomarker matches every job',
    );
    assert.deepEqual(
      match('CANCER').sort(),
      ['BCR__ABL1:YES', 'EGFR:L858R:YES', 'ETV6__NTRK3:YES'],
      'a CANCER job matches every biomarker',
    );
    assert.deepEqual(match('nsclc').sort(), ['BCR__ABL1:NO', 'EGFR:L858R:YES', 'ETV6__NTRK3:YES'], 'case-insensitive');
    assert.deepEqual(
      match('XYZ').sort(),
      ['BCR__ABL1:NO', 'EGFR:L858R:NO', 'ETV6__NTRK3:YES'],
      'an unknown type matches only CANCER',
    );
    // matching rows first
    const rows = biomarkerRows(run([proteins([['S1', 'BRAF:p.V600E']])], { cancerType: 'COREAD' }));
    assert.equal(rows[0].Drugs, 'Encorafenib + Cetuximab');
    assert.equal(rows[0].Match, 'YES');
  });

  test('combinations: complete when all alterations are there, partial otherwise; per sample', () => {
    const combo = parseKnowledgeBase({
      cancerGenes:
        'gene\trole\tdriver_alterations\tknown_in_tumors\tknown_oncogenic\ttranscripts\tsource\nEGFR\tAct\tMUT;AMP\tNSCLC\t\t\tCGC\nMET\tAct\tMUT;AMP\tNSCLC\t\t\tCGC\n',
      biomarkers:
        'gene\talteration\tdrugs\tresponse\tevidence\ttumor_types\tsource\thg19\thg38\n' +
        'EGFR\tT790M + C797S\tOsimertinib\tResistant\tClinical trials\tNSCLC\tPMID:1\t\t\n' +
        'EGFR\tL858R\tGefitinib\tResponsive\tFDA guidelines\tNSCLC\tFDA\t\t\n' +
        'MET\tAMP\tGefitinib + Crizotinib\tResistant\tLate trials\tNSCLC\tPMID:2\t\t\n',
    });
    const r = run(
      [
        proteins([
          ['A', 'EGFR:p.T790M'],
          ['A', 'EGFR:p.C797S'],
          ['B', 'EGFR:p.T790M'],
          ['B', 'EGFR:p.L858R'],
        ]),
        cnas([['B', 'MET', 'AMP']]),
      ],
      { cancerType: 'NSCLC' },
      combo,
    );
    assert.deepEqual(
      biomarkerRows(r).map((row) => [row['Sample ID'], row.Alterations, row.Biomarker, row.BioM, row['Resist.']]),
      [
        ['A', 'EGFR:T790M, EGFR:C797S', 'EGFR (T790M) + EGFR (C797S)', 'complete', ''],
        ['B', 'EGFR:L858R', 'EGFR (L858R)', 'complete', 'MET:AMP'],
        ['B', 'MET:AMP', 'MET amplification', 'complete', ''],
        ['B', 'EGFR:T790M', 'EGFR (T790M) + EGFR (C797S)', 'partial', ''],
      ],
    );
  });

  test('protein changes are normalised: three-letter codes, p.(…), X for stop', () => {
    assert.equal(normaliseProtein('p.Val600Glu'), 'V600E');
    assert.equal(normaliseProtein('p.(V600E)'), 'V600E');
    assert.equal(normaliseProtein('Arg213Ter'), 'R213*');
    assert.equal(normaliseProtein('R213X'), 'R213*');
    assert.equal(normaliseProtein('Ile1557fsTer30'), 'I1557fs*30');
    const [row] = alterationRows(run([proteins([['S1', 'BRAF:p.Val600Glu']])]));
    assert.equal(row['CGI-Protein Change'], 'V600E');
    assert.equal(row['CGI-Oncogenic Summary'], 'oncogenic (annotated)');
  });
});
