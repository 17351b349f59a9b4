import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KnowledgeBaseError, parseKnowledgeBase, TUMOUR_TYPES, type KnowledgeBase } from '../src/knowledge-base';

// Compiled to libs/cgi/dist/test: the knowledge base lives in libs/cgi/knowledge-base.
const KB_DIR = join(__dirname, '..', '..', 'knowledge-base');
const shipped = () => ({
  cancerGenes: readFileSync(join(KB_DIR, 'cancer_genes.tsv'), 'utf8'),
  biomarkers: readFileSync(join(KB_DIR, 'biomarkers.tsv'), 'utf8'),
});

const GENES_HEADER = 'gene\trole\tdriver_alterations\tknown_in_tumors\tknown_oncogenic\ttranscripts\tsource';
const BIOMARKERS_HEADER = 'gene\talteration\tdrugs\tresponse\tevidence\ttumor_types\tsource\thg19\thg38';
const genes = (...rows: string[]) => [GENES_HEADER, ...rows].join('\n') + '\n';
const biomarkers = (...rows: string[]) => [BIOMARKERS_HEADER, ...rows].join('\n') + '\n';
const BRAF = 'BRAF\tAct\tMUT\tCM\tV600\tNM_004333\tCGC';
const ABL1 = 'ABL1\tAct\tMUT;FUS\tCML\t\tNM_005157\tCGC';

function fails(
  files: { cancerGenes: string; biomarkers: string },
  file: string,
  line: number | undefined,
  message: RegExp,
): void {
  assert.throws(
    () => parseKnowledgeBase(files),
    (e: unknown) => {
      assert.ok(e instanceof KnowledgeBaseError, String(e));
      assert.equal(e.file, file);
      assert.equal(e.line, line);
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(line === undefined ? `${file}: ` : `${file}, line ${line}: `), e.message);
      return true;
    },
  );
}

describe('knowledge base: the shipped files', () => {
  const kb = parseKnowledgeBase(shipped());

  test('parse, with the documented sizes', () => {
    assert.ok(kb.cancerGenes.length >= 20 && kb.cancerGenes.length <= 40, `${kb.cancerGenes.length} genes`);
    assert.ok(kb.biomarkers.length >= 15 && kb.biomarkers.length <= 30, `${kb.biomarkers.length} biomarkers`);
    assert.match(kb.version, /^[0-9a-f]{12}$/);
    assert.equal(parseKnowledgeBase(shipped()).version, kb.version, 'the version is a content hash');
  });

  test('is plain JSON: survives a JSON (MongoDB / message) round trip unchanged', () => {
    const copy = JSON.parse(JSON.stringify(kb)) as KnowledgeBase;
    assert.deepEqual(copy, kb);
    const walk = (v: unknown): void => {
      assert.notEqual(v, undefined);
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        assert.equal(Object.getPrototypeOf(v), Object.prototype);
        Object.values(v).forEach(walk);
      }
    };
    walk(kb);
  });

  test('well-known facts are there', () => {
    const gene = (g: string) => kb.cancerGenes.find((x) => x.gene === g)!;
    assert.equal(gene('BRAF').role, 'Act');
    assert.equal(gene('TP53').role, 'LoF');
    assert.equal(gene('NOTCH1').role, 'ambiguous');
    assert.deepEqual(gene('ABL1').transcripts, ['NM_005157']);
    const variant = (g: string, c: string) => kb.variants.find((v) => v.gene === g && v.change === c)!;
    assert.deepEqual(variant('BRAF', 'V600E'), {
      gene: 'BRAF',
      change: 'V600E',
      hg19: { chr: '7', pos: 140453136, ref: 'A', alt: 'T' },
      hg38: { chr: '7', pos: 140753336, ref: 'A', alt: 'T' },
    });
    assert.deepEqual(variant('EGFR', 'L858R').hg38, { chr: '7', pos: 55191822, ref: 'T', alt: 'G' });
    assert.deepEqual(variant('KRAS', 'G12D').hg19, { chr: '12', pos: 25398284, ref: 'C', alt: 'T' });
    const bm = (g: string, a: string, response: string) =>
      kb.biomarkers.filter((b) => b.gene === g && b.alteration === a && b.response === response);
    assert.ok(
      bm('BRAF', 'V600E', 'Responsive').some(
        (b) => b.drugs.includes('Vemurafenib') && b.tumorTypes.includes('CM') && b.evidence === 'FDA guidelines',
      ),
    );
    assert.ok(bm('EGFR', 'T790M', 'Resistant').some((b) => b.drugs.includes('Erlotinib')));
    assert.ok(bm('EGFR', 'T790M', 'Responsive').some((b) => b.drugs.includes('Osimertinib')));
    assert.deepEqual(bm('ABL1', 'BCR__ABL1', 'Responsive')[0].alterations, [
      { kind: 'fusion', genes: ['BCR', 'ABL1'] },
    ]);
    assert.deepEqual(bm('ERBB2', 'AMP', 'Responsive')[0].alterations, [{ kind: 'cna', gene: 'ERBB2', cna: 'AMP' }]);
    assert.deepEqual(bm('NRAS', 'Q61', 'Resistant')[0].alterations, [
      { kind: 'codon', gene: 'NRAS', ref: 'Q', position: 61 },
    ]);
  });

  test('every tumour type named is in the tree, and the tree is rooted at CANCER', () => {
    const codes = new Set(kb.tumourTypes.map((t) => t.code));
    for (const t of kb.tumourTypes) assert.ok(t.parent === null ? t.code === 'CANCER' : codes.has(t.parent), t.code);
    for (const g of kb.cancerGenes) for (const t of g.knownInTumors) assert.ok(codes.has(t), `${g.gene}: ${t}`);
    for (const b of kb.biomarkers) for (const t of b.tumorTypes) assert.ok(codes.has(t), `${b.gene}: ${t}`);
    assert.deepEqual(kb.tumourTypes, TUMOUR_TYPES);
  });
});

describe('knowledge base: strict parsing', () => {
  test('a minimal pair parses; comments and CRLF line ends are fine', () => {
    const kb = parseKnowledgeBase({
      cancerGenes: `# comment\r\n${GENES_HEADER}\r\n${BRAF}\r\n# another\r\n${ABL1}\r\n`,
      biomarkers: biomarkers(
        'BRAF\tV600E + V600K\tDrug A + Drug B;Drug C\tResponsive\tLate trials\tCM;NSCLC\tPMID:1\t\t',
        'ABL1\t*__ABL1\tImatinib\tResponsive\tFDA guidelines\tCML\tFDA\t\t',
      ),
    });
    assert.deepEqual(kb.biomarkers[0].alterations, [
      { kind: 'protein', gene: 'BRAF', change: 'V600E' },
      { kind: 'protein', gene: 'BRAF', change: 'V600K' },
    ]);
    assert.deepEqual(kb.biomarkers[0].drugs, ['Drug A + Drug B', 'Drug C']);
    assert.equal(kb.biomarkers[1].line, 3);
    assert.equal(kb.cancerGenes[1].line, 5);
  });

  test('errors name the file and the line', () => {
    const okGenes = genes(BRAF, ABL1);
    const okBms = biomarkers();
    fails({ cancerGenes: 'gene\trole\n', biomarkers: okBms }, 'cancer_genes.tsv', 1, /header must be/);
    fails({ cancerGenes: '# only a comment\n', biomarkers: okBms }, 'cancer_genes.tsv', undefined, /no header/);
    fails(
      { cancerGenes: genes(BRAF, 'ABL1\tAct'), biomarkers: okBms },
      'cancer_genes.tsv',
      3,
      /expected 7 tab-separated columns, found 2/,
    );
    fails({ cancerGenes: genes(BRAF, '', ABL1), biomarkers: okBms }, 'cancer_genes.tsv', 3, /blank line/);
    fails(
      { cancerGenes: genes('BRAF\tOncogene\tMUT\tCM\t\t\tCGC'), biomarkers: okBms },
      'cancer_genes.tsv',
      2,
      /column role/,
    );
    fails(
      { cancerGenes: genes('BRAF\tAct\tMUT\tMELANOMA\t\t\tCGC'), biomarkers: okBms },
      'cancer_genes.tsv',
      2,
      /unknown tumour type "MELANOMA"/,
    );
    fails(
      { cancerGenes: genes('BRAF\tAct\tSNV\tCM\t\t\tCGC'), biomarkers: okBms },
      'cancer_genes.tsv',
      2,
      /driver_alterations/,
    );
    fails({ cancerGenes: genes(BRAF, BRAF), biomarkers: okBms }, 'cancer_genes.tsv', 3, /listed twice/);
    fails(
      { cancerGenes: genes('BRAF \tAct\tMUT\tCM\t\t\tCGC'), biomarkers: okBms },
      'cancer_genes.tsv',
      2,
      /whitespace/,
    );
    fails(
      { cancerGenes: genes('BRAF\tAct\tMUT\tCM\tV600E;p.V600\t\tCGC'), biomarkers: okBms },
      'cancer_genes.tsv',
      2,
      /known_oncogenic/,
    );
    fails(
      { cancerGenes: genes('BRAF\tAct\tMUT\tCM;;NSCLC\t\t\tCGC'), biomarkers: okBms },
      'cancer_genes.tsv',
      2,
      /malformed list/,
    );

    const bm = (row: string) => ({
      cancerGenes: okGenes,
      biomarkers: biomarkers('BRAF\tV600E\tVemurafenib\tResponsive\tFDA guidelines\tCM\tFDA\t\t', row),
    });
    fails(
      bm('KRAS\tG12C\tSotorasib\tResponsive\tFDA guidelines\tNSCLC\tFDA\t\t'),
      'biomarkers.tsv',
      3,
      /KRAS is not in cancer_genes.tsv/,
    );
    fails(
      bm('BRAF\tV600\u00a0E\tX\tResponsive\tFDA guidelines\tCM\tFDA\t\t'),
      'biomarkers.tsv',
      3,
      /column alteration/,
    );
    fails(bm('BRAF\tp.V600E\tX\tResponsive\tFDA guidelines\tCM\tFDA\t\t'), 'biomarkers.tsv', 3, /column alteration/);
    fails(bm('ABL1\tBCR-ABL1\tX\tResponsive\tFDA guidelines\tCML\tFDA\t\t'), 'biomarkers.tsv', 3, /column alteration/);
    fails(
      bm('ABL1\tBCR__KIT\tX\tResponsive\tFDA guidelines\tCML\tFDA\t\t'),
      'biomarkers.tsv',
      3,
      /does not involve ABL1/,
    );
    fails(bm('BRAF\tV600E\tX\tSensitive\tFDA guidelines\tCM\tFDA\t\t'), 'biomarkers.tsv', 3, /column response/);
    fails(bm('BRAF\tV600E\tX\tResponsive\tFDA\tCM\tFDA\t\t'), 'biomarkers.tsv', 3, /column evidence/);
    fails(bm('BRAF\tV600E\t\tResponsive\tFDA guidelines\tCM\tFDA\t\t'), 'biomarkers.tsv', 3, /column drugs: empty/);
    fails(
      bm('BRAF\tV600E\tX\tResponsive\tFDA guidelines\tCM\tFDA\t7:140453136\t'),
      'biomarkers.tsv',
      3,
      /column hg19: expected chr:pos:ref:alt/,
    );
    fails(
      bm('BRAF\tV600\tX\tResponsive\tFDA guidelines\tCM\tFDA\t7:140453136:A:T\t'),
      'biomarkers.tsv',
      3,
      /only allowed for a single exact protein change/,
    );
    fails(
      {
        cancerGenes: okGenes,
        biomarkers: biomarkers(
          'BRAF\tV600E\tX\tResponsive\tFDA guidelines\tCM\tFDA\t7:140453136:A:T\t',
          'BRAF\tV600E\tY\tResponsive\tFDA guidelines\tCM\tFDA\t7:140453137:A:T\t',
        ),
      },
      'biomarkers.tsv',
      3,
      /hg19 coordinates of BRAF:V600E differ from an earlier row/,
    );
    fails(
      {
        cancerGenes: okGenes,
        biomarkers: biomarkers(
          'BRAF\tV600E\tX\tResponsive\tFDA guidelines\tCM\tFDA\t\t7:140753336:A:T',
          'BRAF\tV600K\tX\tResponsive\tFDA guidelines\tCM\tFDA\t\tchr7:140753336:A:T',
        ),
      },
      'biomarkers.tsv',
      3,
      /also given for BRAF:V600E/,
    );
  });

  test('rows repeating a variant may repeat its coordinates when they agree', () => {
    const kb = parseKnowledgeBase({
      cancerGenes: genes(BRAF),
      biomarkers: biomarkers(
        'BRAF\tV600E\tX\tResponsive\tFDA guidelines\tCM\tFDA\t7:140453136:A:T\t',
        'BRAF\tV600E\tY\tResponsive\tFDA guidelines\tNSCLC\tFDA\tchr7:140453136:A:T\t7:140753336:A:T',
      ),
    });
    assert.deepEqual(kb.variants, [
      {
        gene: 'BRAF',
        change: 'V600E',
        hg19: { chr: '7', pos: 140453136, ref: 'A', alt: 'T' },
        hg38: { chr: '7', pos: 140753336, ref: 'A', alt: 'T' },
      },
    ]);
  });
});
