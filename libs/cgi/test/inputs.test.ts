import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Alteration, InputError, InputKind, MutationAlteration } from '../src/alterations';
import { MAX_ROWS, parseInput, parseInputs } from '../src/inputs';

const tsv = (...rows: string[]): string => rows.join('\n') + '\n';
const mutations = (text: string, sample = 'S') => parseInput('mutations', text, sample);
const genomic = (a: Alteration) => (a as MutationAlteration).genomic;

/** Asserts an InputError for `file` at `line` whose message matches `message`. */
function rejects(fn: () => unknown, file: InputKind, line: number | undefined, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.equal(e.name, 'InputError');
    assert.equal(e.file, file);
    assert.equal(e.line, line, `line of: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

describe('mutations: HGVS protein', () => {
  test("CGI's /formats examples: gene or transcript, the change without 'p.'", () => {
    const parsed = mutations(
      tsv(
        'protein',
        'NM_005157:p.T315I',
        'TSC2:p.Q1178*',
        'ENST00000326724:p.P1331_A1332insTP',
        'TP53:p.I254_T256delIIT',
        'TP53:p.I254_T256del3',
        'TP53:p.I254_T256del',
        'APC:p.I1557fs*30',
        'APC:p.I1557fs',
        'NM_005157:p.Thr315Ile',
        'TP53:p.R248Q',
      ),
    );
    assert.equal(parsed.kind, 'mutations');
    assert.equal(parsed.format, 'protein');
    assert.deepEqual(parsed.columns, ['protein']);
    assert.equal(parsed.alterations.length, 10);
    assert.deepEqual(parsed.alterations[0], {
      kind: 'mutation',
      line: 2,
      sample: 'S',
      input: { protein: 'NM_005157:p.T315I' },
      transcript: 'NM_005157',
      protein: 'T315I',
    });
    assert.deepEqual(parsed.alterations[6], {
      kind: 'mutation',
      line: 8,
      sample: 'S',
      input: { protein: 'APC:p.I1557fs*30' },
      gene: 'APC',
      protein: 'I1557fs*30',
    });
    assert.deepEqual(
      parsed.alterations.map((a) => [
        (a as MutationAlteration).gene ?? (a as MutationAlteration).transcript,
        (a as MutationAlteration).protein,
      ]),
      [
        ['NM_005157', 'T315I'],
        ['TSC2', 'Q1178*'],
        ['ENST00000326724', 'P1331_A1332insTP'],
        ['TP53', 'I254_T256delIIT'],
        ['TP53', 'I254_T256del3'],
        ['TP53', 'I254_T256del'],
        ['APC', 'I1557fs*30'],
        ['APC', 'I1557fs'],
        ['NM_005157', 'Thr315Ile'],
        ['TP53', 'R248Q'],
      ],
    );
    assert.equal((parsed.alterations[2] as MutationAlteration).gene, undefined, 'a transcript is not a gene');
  });

  test("CGIwrapper's data/mut_in.tsv is rejected at its 'APC:' row (line 3); the rest of it parses", () => {
    const rows = [
      'TP53:p.R248Q',
      'ACTA2:p.R208H',
      'KMT2C:p.V2982L',
      'RPTOR:p.D589N',
      'DYNC2H1:p.K3365E',
      'PIK3CA:p.Y343_D350dup',
      'PMS2:p.F231L',
      'PTEN:p.G230E',
      'PPP2R1A:p.R183Q',
    ];
    rejects(
      () => mutations(tsv('protein', rows[0], 'APC:', ...rows.slice(1))),
      'mutations',
      3,
      /malformed protein HGVS 'APC:'.*TP53:p\.R248Q/,
    );
    const parsed = mutations(tsv('protein', ...rows));
    assert.deepEqual(
      parsed.alterations.map((a) => (a as MutationAlteration).protein),
      ['R248Q', 'R208H', 'V2982L', 'D589N', 'K3365E', 'Y343_D350dup', 'F231L', 'G230E', 'R183Q'],
    );
  });

  test('sample column (any case), other columns carried through as written, empty sample → default', () => {
    const parsed = mutations(
      tsv(
        'Sample\tprotein\tdepth\tnote',
        'P1\tTP53:p.R248Q\t120\tfrom biopsy',
        '\tKRAS:p.G12D\t33\t',
        '  P2 \tBRAF:p.V600E\t7\tx',
      ),
      'input01',
    );
    assert.deepEqual(parsed.columns, ['Sample', 'protein', 'depth', 'note']);
    assert.deepEqual(
      parsed.alterations.map((a) => a.sample),
      ['P1', 'input01', 'P2'],
    );
    assert.deepEqual(parsed.alterations[0].input, {
      Sample: 'P1',
      protein: 'TP53:p.R248Q',
      depth: '120',
      note: 'from biopsy',
    });
    assert.deepEqual(parsed.alterations[1].input, { Sample: '', protein: 'KRAS:p.G12D', depth: '33', note: '' });
  });

  test('BOM, CRLF, blank lines, trailing tabs and spaces; lines are counted as in the file', () => {
    const text = '\ufeff\r\nprotein\tsample\t\r\nTP53:p.R248Q\tA\t\t\r\n\r\n   \r\n KRAS:p.G12D \tB\r\n';
    const parsed = mutations(text);
    assert.deepEqual(parsed.columns, ['protein', 'sample']);
    assert.deepEqual(
      parsed.alterations.map((a) => [
        a.line,
        a.sample,
        (a as MutationAlteration).gene,
        (a as MutationAlteration).protein,
      ]),
      [
        [3, 'A', 'TP53', 'R248Q'],
        [6, 'B', 'KRAS', 'G12D'],
      ],
    );
    assert.equal(mutations('protein\rTP53:p.R248Q\rKRAS:p.G12D').alterations[1].line, 3, 'old Mac CR line ends');
    assert.equal(mutations('protein\nTP53:p.R248Q').alterations.length, 1, 'no final newline');
  });

  test('a protein column wins over gdna and chr/pos/ref/alt columns in the same header', () => {
    const parsed = mutations(
      tsv('chr\tpos\tref\talt\tgdna\tprotein', '3\t178936091\tG\tA\tchr3:g.178936091G>A\tPIK3CA:p.E545K'),
    );
    assert.equal(parsed.format, 'protein');
    assert.equal(genomic(parsed.alterations[0]), undefined);
    assert.equal(mutations(tsv('chr\tpos\tref\talt\tgdna', '3\t178936091\tG\tA\tchr3:g.178936091G>A')).format, 'gdna');
  });
});

describe('mutations: HGVS genomic', () => {
  test("every example of CGI's /formats page, as chr/pos/ref/alt", () => {
    const cases: Array<[string, { chr: string; pos: number; ref: string; alt: string }]> = [
      ['chr3:g.178936091G>A', { chr: '3', pos: 178936091, ref: 'G', alt: 'A' }],
      ['chr3:g.41266066TG>AA', { chr: '3', pos: 41266066, ref: 'TG', alt: 'AA' }],
      ['chr3:g.41266066_41266067delinsAA', { chr: '3', pos: 41266066, ref: 'NN', alt: 'AA' }],
      ['chr5:g.170837546_170837547insCTGT', { chr: '5', pos: 170837547, ref: '-', alt: 'CTGT' }],
      ['chr5:g.170837545C>CTCTG', { chr: '5', pos: 170837545, ref: 'C', alt: 'CTCTG' }],
      ['chr3:g.30732988_30732989dupTG', { chr: '3', pos: 30732990, ref: '-', alt: 'TG' }],
      ['chr3:g.30732988_30732989delinsTGTG', { chr: '3', pos: 30732988, ref: 'NN', alt: 'TGTG' }],
      ['chr3:30732989_30732990insTG', { chr: '3', pos: 30732990, ref: '-', alt: 'TG' }],
      ['chr2:g.234183368_234183372delACTCA', { chr: '2', pos: 234183368, ref: 'ACTCA', alt: '-' }],
      ['chr2:g.234183368_234183372del', { chr: '2', pos: 234183368, ref: 'NNNNN', alt: '-' }],
      ['chr2:g.234183368_234183372del5', { chr: '2', pos: 234183368, ref: 'NNNNN', alt: '-' }],
      ['chr10:g.52595929_52595931delGGGinsTA', { chr: '10', pos: 52595929, ref: 'GGG', alt: 'TA' }],
      ['chr10:g.52595929_52595931delinsTA', { chr: '10', pos: 52595929, ref: 'NNN', alt: 'TA' }],
      // and the usual variations
      ['3:g.178936091g>a', { chr: '3', pos: 178936091, ref: 'G', alt: 'A' }],
      ['chrX:g.66943549T>C', { chr: 'X', pos: 66943549, ref: 'T', alt: 'C' }],
      ['chr17:g.7577558delG', { chr: '17', pos: 7577558, ref: 'G', alt: '-' }],
      ['chr17:g.7577558dup', { chr: '17', pos: 7577559, ref: '-', alt: 'N' }],
    ];
    const parsed = mutations(tsv('gdna', ...cases.map(([g]) => g)));
    assert.equal(parsed.format, 'gdna');
    cases.forEach(([g, change], i) => assert.deepEqual(genomic(parsed.alterations[i]), change, g));
    assert.deepEqual(parsed.alterations[0].input, { gdna: 'chr3:g.178936091G>A' });
  });

  test('the dup and ins spellings of the same change agree (CGI lists both)', () => {
    const [dup, ins] = mutations(
      tsv('gdna', 'chr3:g.30732988_30732989dupTG', 'chr3:30732989_30732990insTG'),
    ).alterations;
    assert.deepEqual(genomic(dup), genomic(ins));
  });

  test('malformed or inconsistent genomic HGVS → error at its line', () => {
    const bad: Array<[string, RegExp]> = [
      ['chr3:g.178936091G>', /malformed genomic HGVS 'chr3:g\.178936091G>'.*chr3:g\.178936091G>A/],
      ['chr3:g.178936091G>X', /malformed genomic HGVS/],
      ['chr3-178936091-G-A', /malformed genomic HGVS/],
      ['chr3:c.1633G>A', /malformed genomic HGVS/],
      ['chr2:g.234183372_234183368del', /end position is before the start/],
      ['chr2:g.234183368_234183372delACT', /deleted bases do not match the range/],
      ['chr2:g.234183368_234183372del4', /deleted length does not match the range/],
      ['chr5:g.170837546_170837549insCTGT', /between two adjacent positions/],
      ['chr3:g.30732988_30732989dupTGA', /duplicated bases do not match/],
      ['chr1:g.1_20000del', /longer than 10000 bases/],
      ['chr3:g.0G>A', /start position must be a positive integer/],
      ['chr;3:g.178936091G>A', /invalid chromosome/],
    ];
    for (const [value, message] of bad)
      rejects(() => mutations(tsv('gdna', 'chr3:g.178936091G>A', value)), 'mutations', 3, message);
  });
});

describe('mutations: genomic tabular', () => {
  test("CGI's /formats examples; upper-case headers; '-' for an empty allele; chr prefix dropped", () => {
    const parsed = mutations(
      tsv(
        'CHR\tPOS\tREF\tALT',
        'chr17\t7578412\tA\tG',
        'chr11\t533873\tCT\tAC',
        'chr17\t37881002\tG\tGGGCTCCCCA',
        'chr17\t37881003\t-\tGGCTCCCCA',
        'chr17\t37880218\tGTTGAGGGAAAACACA\tG',
        'chr17\t37880219\tTTGAGGGAAAACACA\t-',
        'chr7\t140453155\tCA\tTCC',
        'X\t66943549\tt\tc',
      ),
    );
    assert.equal(parsed.format, 'tabular');
    assert.deepEqual(parsed.columns, ['CHR', 'POS', 'REF', 'ALT']);
    assert.deepEqual(parsed.alterations.map(genomic), [
      { chr: '17', pos: 7578412, ref: 'A', alt: 'G' },
      { chr: '11', pos: 533873, ref: 'CT', alt: 'AC' },
      { chr: '17', pos: 37881002, ref: 'G', alt: 'GGGCTCCCCA' },
      { chr: '17', pos: 37881003, ref: '-', alt: 'GGCTCCCCA' },
      { chr: '17', pos: 37880218, ref: 'GTTGAGGGAAAACACA', alt: 'G' },
      { chr: '17', pos: 37880219, ref: 'TTGAGGGAAAACACA', alt: '-' },
      { chr: '7', pos: 140453155, ref: 'CA', alt: 'TCC' },
      { chr: 'X', pos: 66943549, ref: 'T', alt: 'C' },
    ]);
    assert.deepEqual(
      parsed.alterations[7].input,
      { CHR: 'X', POS: '66943549', REF: 't', ALT: 'c' },
      'input as written',
    );
  });

  test('columns in any order, with sample and extra columns', () => {
    const parsed = mutations(tsv('alt\tsample\tref\tgene\tpos\tchr', 'A\tT1\tG\tPIK3CA\t178936091\tchr3'));
    assert.deepEqual(genomic(parsed.alterations[0]), { chr: '3', pos: 178936091, ref: 'G', alt: 'A' });
    assert.equal(parsed.alterations[0].sample, 'T1');
    assert.equal(parsed.alterations[0].input.gene, 'PIK3CA');
  });

  test('pos must be a positive integer', () => {
    for (const pos of ['0', '-5', '1.5', '1e6', 'abc', '+7', '012', '99999999999']) {
      rejects(
        () => mutations(tsv('chr\tpos\tref\talt', '17\t7578412\tA\tG', `17\t${pos}\tA\tG`)),
        'mutations',
        3,
        /pos must be a positive integer/,
      );
    }
  });

  test('ref/alt must be ACGTN or -', () => {
    for (const [ref, alt] of [
      ['X', 'G'],
      ['A', 'R'],
      ['A', '.'],
      ['A C', 'G'],
      ['A', '<DEL>'],
      ['A', '--'],
    ]) {
      rejects(
        () => mutations(tsv('chr\tpos\tref\talt', `17\t7578412\t${ref}\t${alt}`)),
        'mutations',
        2,
        /(ref|alt) must be bases A, C, G, T, N or '-'/,
      );
    }
    rejects(
      () => mutations(tsv('chr\tpos\tref\talt', '17\t7578412\t-\t-')),
      'mutations',
      2,
      /ref and alt cannot both be '-'/,
    );
    rejects(() => mutations(tsv('chr\tpos\tref\talt', '17\t7578412\t\tG')), 'mutations', 2, /the ref column is empty/);
  });
});

describe('mutations: VCF', () => {
  // querynator example_files/test_out.cgi_results/input01.tsv (CGI's copy of an uploaded VCF), first rows.
  const VCF = tsv(
    '##fileformat=VCFv4.2',
    '##source=DoCM - The Database of Curated Mutations',
    '##reference=GRCh37',
    '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
    '2\t29436859\t.\tA\tC\t.\t.\t.',
    '5\t112175218\t.\tAAAGATTGGAAC\tA\t.\t.\t.',
    '9\t80409488\t.\tTG\tAA\t.\t.\t.',
    '11\t32417908\t.\tC\tCACCGTACA\t.\t.\t.',
    'X\t66943549\t.\tT\tC\t.\t.\t.',
  );

  test('detected by ##fileformat; one sample; columns from the #CHROM line; INFO etc. carried through', () => {
    const parsed = mutations(VCF, 'input01');
    assert.equal(parsed.format, 'vcf');
    assert.deepEqual(parsed.columns, ['CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO']);
    assert.deepEqual(
      parsed.alterations.map((a) => [a.line, a.sample, genomic(a)]),
      [
        [5, 'input01', { chr: '2', pos: 29436859, ref: 'A', alt: 'C' }],
        [6, 'input01', { chr: '5', pos: 112175218, ref: 'AAAGATTGGAAC', alt: 'A' }],
        [7, 'input01', { chr: '9', pos: 80409488, ref: 'TG', alt: 'AA' }],
        [8, 'input01', { chr: '11', pos: 32417908, ref: 'C', alt: 'CACCGTACA' }],
        [9, 'input01', { chr: 'X', pos: 66943549, ref: 'T', alt: 'C' }],
      ],
    );
    assert.deepEqual(parsed.alterations[0].input, {
      CHROM: '2',
      POS: '29436859',
      ID: '.',
      REF: 'A',
      ALT: 'C',
      QUAL: '.',
      FILTER: '.',
      INFO: '.',
    });
  });

  test('a UTF-8 BOM before ##fileformat or #CHROM does not hide the VCF', () => {
    assert.equal(mutations(`\ufeff${VCF}`).format, 'vcf');
    assert.equal(mutations('\ufeff#CHROM\tPOS\tID\tREF\tALT\n1\t10\t.\tA\tT\n').alterations.length, 1);
  });

  test('detected by a bare #CHROM header; multi-sample treated as one sample; multi-allelic split; "." ALT skipped', () => {
    const parsed = mutations(
      tsv(
        '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\tNORMAL',
        'chr7\t140453136\trs113488022\tA\tT,G\t50\tPASS\tDP=90\tGT\t0/1\t0/0',
        'chr1\t100\t.\tA\t.\t50\tPASS\t.\tGT\t0/0\t0/0',
        'chr17\t7577536\t.\tt\tc\t50\tPASS\t.\tGT\t0/1\t0/0',
      ),
      'input01',
    );
    assert.equal(parsed.format, 'vcf');
    assert.deepEqual(
      parsed.alterations.map((a) => [a.line, a.sample, genomic(a)]),
      [
        [2, 'input01', { chr: '7', pos: 140453136, ref: 'A', alt: 'T' }],
        [2, 'input01', { chr: '7', pos: 140453136, ref: 'A', alt: 'G' }],
        [4, 'input01', { chr: '17', pos: 7577536, ref: 'T', alt: 'C' }],
      ],
    );
    assert.equal(parsed.alterations[0].input.TUMOR, '0/1');
  });

  test('a VCF only counts as one for mutations', () => {
    rejects(() => parseInput('cnas', VCF, 'S'), 'cnas', 1, /a cnas file needs 'gene' and 'cna' columns/);
  });

  test('VCF errors', () => {
    rejects(() => mutations(tsv('##fileformat=VCFv4.2', '##x=y')), 'mutations', 1, /VCF without a '#CHROM' header/);
    rejects(
      () => mutations(tsv('##fileformat=VCFv4.2', '1\t100\t.\tA\tT', '#CHROM\tPOS\tID\tREF\tALT')),
      'mutations',
      2,
      /VCF data before the '#CHROM' header/,
    );
    rejects(
      () => mutations(tsv('##fileformat=VCFv4.2', '#CHROM\tPOS\tREF\tALT')),
      'mutations',
      2,
      /must start with #CHROM\tPOS\tID\tREF\tALT/,
    );
    rejects(
      () => mutations(tsv('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', '1\t100\t.\tA\t<DEL>\t.\t.\t.')),
      'mutations',
      2,
      /symbolic or breakend ALT allele '<DEL>'/,
    );
    rejects(
      () => mutations(tsv('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', '1\t100\t.\tA\tT]2:321]\t.\t.\t.')),
      'mutations',
      2,
      /breakend/,
    );
    rejects(
      () => mutations(tsv('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', '1\t100\t.\tA\tT\t.\t.')),
      'mutations',
      2,
      /expected 8 tab-separated columns as in the #CHROM header, found 7/,
    );
    rejects(
      () => mutations(tsv('#CHROM\tPOS\tID\tREF\tALT', '1\t100\t.\tA\tT', '#another header')),
      'mutations',
      3,
      /unexpected '#' line/,
    );
    rejects(
      () => mutations(tsv('#CHROM\tPOS\tID\tREF\tALT', '1\t0\t.\tA\tT')),
      'mutations',
      2,
      /POS must be a positive integer/,
    );
    rejects(() => mutations(tsv('#CHROM\tPOS\tID\tREF\tALT', '1\t10\t.\tA\tZ')), 'mutations', 2, /ALT must be bases/);
    rejects(
      () => mutations(tsv('##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT', '1\t10\t.\tA\t.')),
      'mutations',
      2,
      /no alterations/,
    );
  });
});

describe('cnas and translocations', () => {
  test("CGIwrapper's data/cna_in.tsv: amp/del in lower case become AMP/DEL", () => {
    const parsed = parseInput('cnas', 'gene\tcna\nMYC\tamp\nPTEN\tdel', 'input02');
    assert.equal(parsed.format, 'cna');
    assert.deepEqual(parsed.alterations, [
      { kind: 'cna', line: 2, sample: 'input02', input: { gene: 'MYC', cna: 'amp' }, gene: 'MYC', cna: 'AMP' },
      { kind: 'cna', line: 3, sample: 'input02', input: { gene: 'PTEN', cna: 'del' }, gene: 'PTEN', cna: 'DEL' },
    ]);
  });

  test('cnas with sample and extra columns, headers in any case', () => {
    const parsed = parseInput(
      'cnas',
      tsv('SAMPLE\tGENE\tCNA\tcopies', 'T1\tERBB2\tAMP\t12', 'T2\tCDKN2A\tDel\t0'),
      'x',
    );
    assert.deepEqual(
      parsed.alterations.map((a) => [a.sample, a.kind === 'cna' && a.gene, a.kind === 'cna' && a.cna, a.input.copies]),
      [
        ['T1', 'ERBB2', 'AMP', '12'],
        ['T2', 'CDKN2A', 'DEL', '0'],
      ],
    );
  });

  test('cna must be AMP or DEL', () => {
    for (const cna of ['GAIN', 'loss', 'AMP2', '2']) {
      rejects(
        () => parseInput('cnas', tsv('gene\tcna', 'MYC\tamp', `PTEN\t${cna}`), 'S'),
        'cnas',
        3,
        /cna must be AMP or DEL/,
      );
    }
  });

  test("CGIwrapper's data/fus_in.tsv: fus BCR__ABL1", () => {
    const parsed = parseInput('translocations', 'fus\nBCR__ABL1', 'input03');
    assert.equal(parsed.format, 'fusion');
    assert.deepEqual(parsed.alterations, [
      { kind: 'fusion', line: 2, sample: 'input03', input: { fus: 'BCR__ABL1' }, genes: ['BCR', 'ABL1'] },
    ]);
    const withSample = parseInput(
      'translocations',
      tsv('sample\tfus\treads', 'P1\tTMPRSS2__ERG\t31', 'P1\tEML4__ALK\t8'),
      'S',
    );
    assert.deepEqual(
      withSample.alterations.map((a) => [a.sample, a.kind === 'fusion' && a.genes, a.input.reads]),
      [
        ['P1', ['TMPRSS2', 'ERG'], '31'],
        ['P1', ['EML4', 'ALK'], '8'],
      ],
    );
  });

  test('fus must be GENE1__GENE2', () => {
    for (const fus of [
      'BCR-ABL1',
      'BCR_ABL1',
      'BCR__',
      '__ABL1',
      'BCR__ABL1__KIT',
      'BCR___ABL1',
      'BCR__AB L1',
      'BCR__ABL1;ls',
    ]) {
      rejects(
        () => parseInput('translocations', tsv('fus', 'BCR__ABL1', fus), 'S'),
        'translocations',
        3,
        /fus must be two gene symbols joined by '__'/,
      );
    }
  });
});

describe('gene symbols and sample names', () => {
  test('gene symbols: letters, digits, - . _ up to 40 characters', () => {
    const ok = ['HLA-A', 'C1orf112', 'NKX2-1', 'H3-3A', 'MT-ND1', 'RP11-1.2', 'A'.repeat(40)];
    assert.equal(
      parseInput('cnas', tsv('gene\tcna', ...ok.map((g) => `${g}\tamp`)), 'S').alterations.length,
      ok.length,
    );
    for (const gene of ['MYC;rm -rf /', '<script>', "MYC'", '=HYPERLINK(1)', 'MY C', 'A'.repeat(41), '-MYC', '$(id)']) {
      rejects(
        () => parseInput('cnas', tsv('gene\tcna', 'MYC\tamp', `${gene}\tamp`), 'S'),
        'cnas',
        3,
        /invalid gene .*letters, digits, '-', '\.' and '_' only, up to 40/,
      );
    }
    rejects(() => mutations(tsv('protein', `${'A'.repeat(41)}:p.R248Q`)), 'mutations', 2, /invalid gene or transcript/);
  });

  test('sample names: up to 100 printable characters', () => {
    const name = 'Patient 7 – biopsy #2 (ü)'.padEnd(100, '.');
    assert.equal(parseInput('cnas', tsv('sample\tgene\tcna', `${name}\tMYC\tamp`), 'S').alterations[0].sample, name);
    rejects(
      () => parseInput('cnas', tsv('sample\tgene\tcna', `${name}x\tMYC\tamp`), 'S'),
      'cnas',
      2,
      /sample name is longer than 100 characters/,
    );
    rejects(
      () => parseInput('cnas', tsv('sample\tgene\tcna', 'P\u00001\tMYC\tamp'), 'S'),
      'cnas',
      2,
      /control character U\+0000/,
    );
    rejects(
      () => parseInput('cnas', tsv('sample\tgene\tcna', 'P\u001b[31m\tMYC\tamp'), 'S'),
      'cnas',
      2,
      /control character U\+001B/,
    );
  });
});

describe('file-level errors', () => {
  test('empty file', () => {
    for (const text of ['', '\n\n', '\ufeff', '  \r\n\t\r\n'])
      rejects(() => mutations(text), 'mutations', 1, /the file is empty/);
    rejects(() => parseInput('translocations', '', 'S'), 'translocations', 1, /the file is empty/);
  });

  test("a header only → 'no alterations' at the header's line", () => {
    rejects(() => mutations('protein\n'), 'mutations', 1, /no alterations/);
    rejects(() => parseInput('cnas', '\n\ngene\tcna\n\n\n', 'S'), 'cnas', 3, /no alterations/);
  });

  test('unknown mutations header names the accepted ones', () => {
    rejects(
      () => mutations(tsv('gene\tchange', 'TP53\tR248Q')),
      'mutations',
      1,
      /unrecognised header 'gene, change': .*'protein' column.*'gdna' column.*'chr', 'pos', 'ref' and 'alt'.*##fileformat=VCF.*#CHROM/,
    );
    rejects(
      () => mutations(tsv('chr\tpos\tref', '17\t7578412\tA')),
      'mutations',
      1,
      /unrecognised header 'chr, pos, ref'/,
    );
    rejects(() => mutations(tsv('#chr\tpos\tref\talt', '17\t7578412\tA\tG')), 'mutations', 1, /unrecognised header/);
    rejects(
      () => parseInput('translocations', tsv('fusion', 'BCR__ABL1'), 'S'),
      'translocations',
      1,
      /needs a 'fus' column \(GENE1__GENE2/,
    );
    rejects(
      () => parseInput('cnas', tsv('gene\tstatus', 'MYC\tamp'), 'S'),
      'cnas',
      1,
      /needs 'gene' and 'cna' columns/,
    );
  });

  test('header problems: duplicate or empty column names', () => {
    rejects(
      () => mutations(tsv('protein\tnote\tNOTE', 'TP53:p.R248Q\ta\tb')),
      'mutations',
      1,
      /column 'NOTE' appears twice/,
    );
    rejects(
      () => mutations(tsv('protein\t\tnote', 'TP53:p.R248Q\ta\tb')),
      'mutations',
      1,
      /column 2 of the header has no name/,
    );
  });

  test('a row with the wrong number of columns', () => {
    rejects(
      () => mutations(tsv('protein\tsample', 'TP53:p.R248Q\tA', 'KRAS:p.G12D')),
      'mutations',
      3,
      /expected 2 tab-separated columns as in the header, found 1/,
    );
    rejects(() => mutations(tsv('protein\tsample', 'TP53:p.R248Q\tA\textra')), 'mutations', 2, /expected 2 .*found 3/);
    rejects(
      () => mutations(tsv('protein', 'TP53:p.R248Q', '', 'KRAS:p.G12D\t\tx')),
      'mutations',
      4,
      /expected 1 .*found 3/,
    );
  });

  test('malformed protein HGVS', () => {
    for (const value of [
      'TP53:R248Q',
      'TP53:p.',
      'TP53:p.r248q',
      'TP53:p.R248QQ',
      'TP53',
      ':p.R248Q',
      'TP53:p.R248Q:p.R248Q',
      'TP53:c.743G>A',
      'TP53:p.I1557FS*30',
    ]) {
      rejects(
        () => mutations(tsv('protein', 'TP53:p.R248Q', value)),
        'mutations',
        3,
        /malformed protein HGVS|invalid gene or transcript/,
      );
    }
    rejects(
      () => mutations(tsv('protein\tsample', 'TP53:p.R248Q\tA', '  \tB')),
      'mutations',
      3,
      /the protein column is empty/,
    );
    assert.equal(
      mutations(tsv('protein', 'TP53:p.R248Q', '   ')).alterations.length,
      1,
      'a whitespace-only line is a blank line',
    );
  });

  test(`at most ${MAX_ROWS} rows per file`, () => {
    const rows = Array.from({ length: MAX_ROWS }, () => 'MYC\tamp');
    assert.equal(parseInput('cnas', tsv('gene\tcna', ...rows), 'S').alterations.length, MAX_ROWS);
    rejects(
      () => parseInput('cnas', tsv('gene\tcna', ...rows, 'PTEN\tdel'), 'S'),
      'cnas',
      MAX_ROWS + 2,
      /too many rows: at most 100000/,
    );
    rejects(
      () => parseInput('cnas', tsv('gene\tcna', ...rows, '', 'PTEN\tdel'), 'S'),
      'cnas',
      MAX_ROWS + 3,
      /too many rows/,
    );
  });

  test('InputError names the file and the line in its message', () => {
    const e = new InputError('cnas', 4, 'cna must be AMP or DEL');
    assert.equal(e.message, 'cnas, line 4: cna must be AMP or DEL');
  });
});

describe('parseInputs', () => {
  test("parses each given file in CGI's order, naming default samples input01, input02, …", () => {
    const parsed = parseInputs({
      translocations: 'fus\nBCR__ABL1\n',
      mutations: 'protein\nTP53:p.R248Q\n',
      cnas: 'gene\tcna\nMYC\tamp\n',
    });
    assert.deepEqual(
      parsed.map((p) => [p.kind, p.format, p.alterations[0].sample]),
      [
        ['mutations', 'protein', 'input01'],
        ['cnas', 'cna', 'input02'],
        ['translocations', 'fusion', 'input03'],
      ],
    );
    assert.deepEqual(
      parseInputs({ cnas: 'gene\tcna\nMYC\tamp\n' }).map((p) => p.alterations[0].sample),
      ['input01'],
    );
    assert.deepEqual(
      parseInputs({ cnas: 'gene\tcna\nMYC\tamp\n', translocations: 'fus\nBCR__ABL1\n' }, 'patient-1').map(
        (p) => p.alterations[0].sample,
      ),
      ['patient-1', 'patient-1'],
    );
  });

  test('none given → InputError on mutations without a line', () => {
    for (const files of [{}, { mutations: undefined, cnas: undefined }]) {
      rejects(
        () => parseInputs(files),
        'mutations',
        undefined,
        /^mutations: at least one of mutations, cnas, translocations is required$/,
      );
    }
  });

  test('an error in any file is reported with that file', () => {
    rejects(
      () => parseInputs({ mutations: 'protein\nTP53:p.R248Q\n', cnas: 'gene\tcna\nMYC\tgain\n' }),
      'cnas',
      2,
      /cna must be AMP or DEL/,
    );
    rejects(() => parseInputs({ translocations: '' }), 'translocations', 1, /the file is empty/);
  });
});
