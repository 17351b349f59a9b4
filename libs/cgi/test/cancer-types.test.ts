import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CANCER_TYPES, cancerTypeName, cancerTypeNames, isCancerType } from '../src/cancer-types';

describe('CGI cancer types', () => {
  test("CGI's list (tcgi/cancertypes 1.0-20171019): 248 entries, AG listed twice, so 247 acronyms", () => {
    assert.equal(CANCER_TYPES.length, 247);
    assert.equal(new Set(CANCER_TYPES.map((t) => t.id)).size, CANCER_TYPES.length, 'acronyms are unique');
    assert.deepEqual(CANCER_TYPES[0], { id: 'AA', name: 'Adrenal adenoma' });
    assert.deepEqual(CANCER_TYPES[CANCER_TYPES.length - 1], { id: 'BENIGN', name: 'BENIGN' });
    for (const t of CANCER_TYPES) {
      assert.match(t.id, /^[A-Z]+(-PR)?$/, t.id);
      assert.ok(t.name.length > 0, t.id);
    }
  });

  test('the umbrella types and the ones clients use, with their names as CGI writes them', () => {
    const expected: Record<string, string> = {
      CANCER: 'Any cancer type',
      HEMATO: 'Hematologic malignancies',
      SOLID: 'Solid tumors',
      BRCA: 'Breast adenocarcinoma',
      LUAD: 'Lung adenocarcinoma',
      PAAD: 'Pancreas adenocarcinoma',
      OVSE: 'Ovary serous',
      BLCA: 'Bladder',
      'CANCER-PR': 'Cancer predisposition',
      ESCA: 'Esophagous',
      AG: 'Anaplastic oligodendroglioma',
      WM: 'Waldenström macroglobulinemia',
    };
    for (const [id, name] of Object.entries(expected)) assert.equal(cancerTypeName(id), name, id);
  });

  test('isCancerType: exact, case-sensitive match', () => {
    for (const ok of ['CANCER', 'HEMATO', 'SOLID', 'PAAD', 'COREAD-PR', 'AG', 'B'])
      assert.equal(isCancerType(ok), true, ok);
    for (const bad of [
      '',
      'paad',
      'Paad',
      ' PAAD',
      'PAAD ',
      'PAAD\n',
      'Any cancer type',
      'COAD',
      'LAML',
      'CANCER-pr',
      'toString',
      '__proto__',
    ]) {
      assert.equal(isCancerType(bad), false, JSON.stringify(bad));
    }
  });

  test('cancerTypeNames keeps order; an unknown acronym comes back as given', () => {
    assert.deepEqual(cancerTypeNames(['PAAD', 'CANCER', 'NOPE']), [
      'Pancreas adenocarcinoma',
      'Any cancer type',
      'NOPE',
    ]);
    assert.deepEqual(cancerTypeNames(new Set(['HEMATO'])), ['Hematologic malignancies']);
    assert.deepEqual(cancerTypeNames([]), []);
    assert.equal(cancerTypeName('paad'), undefined);
  });

  test('the list cannot be changed at run time', () => {
    assert.throws(() => (CANCER_TYPES as Array<{ id: string; name: string }>).push({ id: 'X', name: 'x' }), TypeError);
    assert.throws(() => {
      (CANCER_TYPES[0] as { name: string }).name = 'changed';
    }, TypeError);
    assert.equal(isCancerType('X'), false);
  });
});
