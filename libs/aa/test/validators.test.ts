import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  INPUT_NOT_VALIDATED_MESSAGE,
  VALIDATORS,
  VALIDATOR_NAMES,
  gif,
  imghdrWhat,
  isValidatorName,
  jpeg,
  none,
  NucleotideFastaCheck,
  nucleotideFasta,
  pdb_file,
  png,
  pythonSplitlines,
  runValidator,
  seq,
  validateInput,
} from '../src/validators';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const raw = (...parts: Array<string | number[]>) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

// A_A's fixtures (submissions/files/): 5PTP chain A, 223 residues.
const HEADER = '>5PTPA Sequence from PDB ATOM records\n';
const P5PTP =
  'IVGGYTCGANTVPYQVSLNSGYHFCGGSLINSQWVVSAAHCYKSGIQVRLGEDNINVVEGNEQFISASKSIVHPSYNSNTLNNDIMLIKLKSAASLNSRVASISLPTSCASAGTQCLISGWGNTKSSGTSYPDVLKCLKAPILSDSSCKSAYPGQITSNMFCAGYLEGGKDSCQGDGGPVVCSGKLQGIVSWGSGCAQKNKPGVYTKVCNYVSWIKQTIASN';
const FASTA = HEADER + P5PTP + '\n';
const NUCLEOTIDE =
  '>NM_002020.4 Homo sapiens fms related tyrosine kinase 4 (FLT4), transcript variant 2, mRNA\n' +
  'AGGCCAGCCGGCGCCCGCGCGGACACTTTCAGCCCCGAGCCGCGGCCGCTCGGGTCGGACCCACGCGCAG\n' +
  'CGGCCGGAGATGCAGCGGGGCGCCGCGCTGTGCCTGCGACTGTGGCTCTGCCTGGGACTCCTGGACGGCC\n' +
  'TGGTGAGTGGCTACTCCATGACCCCCCCGACCTTGAACATCACGGAGGAGTCACACGTCATCGACACCGG\n';
const PDB =
  'HEADER    HYDROLASE                               01-JAN-00   1XXX\n' +
  'ATOM      1  N   ILE A  16      -8.155   9.648  20.365  1.00 10.00           N\n' +
  'ATOM      2  CA  ILE A  16      -8.040   8.345  21.029  1.00 10.00           C\n';

const PNG = raw([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 13], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
const GIF = raw('GIF89a', [1, 0, 1, 0, 0x80, 0, 0]);
const GIF87 = raw('GIF87a', [1, 0, 1, 0]);
const JFIF = raw([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 1, 0]);
const EXIF = raw([0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34], 'Exif', [0, 0]);
const RAW_JPEG = raw([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43]);

describe('seq (A_A tests/test_validators.py)', () => {
  test('accepts a FASTA sequence and an alignment', () => {
    assert.equal(seq(bytes(FASTA)), true);
    assert.equal(seq(bytes((HEADER + P5PTP + '\n').repeat(4))), true);
    assert.equal(seq(bytes(P5PTP + '\n')), true, 'no header needed');
  });

  test('rejects no sequence, an empty file, nucleotides, a bad residue', () => {
    assert.equal(seq(bytes(HEADER)), false);
    assert.equal(seq(bytes('')), false);
    assert.equal(seq(bytes(NUCLEOTIDE)), false);
    assert.equal(seq(bytes(HEADER + P5PTP.slice(0, 9) + 'B' + P5PTP.slice(9) + '\n')), false);
  });

  test('rejects a bad alignment, a bad header run, a bad character in an alignment', () => {
    const badMsa = (HEADER + P5PTP + '\n').repeat(2) + HEADER + 'IVGYTCG\n';
    assert.equal(seq(bytes(badMsa)), false);
    const badHeaders = HEADER + P5PTP + '\n' + HEADER + (HEADER + P5PTP + '\n').repeat(4);
    assert.equal(seq(bytes(badHeaders)), false);
    assert.equal(seq(bytes(HEADER + P5PTP.slice(0, 12) + 'BB' + P5PTP.slice(12) + '\n')), false);
  });

  test('30 to 1500 residues', () => {
    const residues = (n: number) => bytes('>x\n' + P5PTP.repeat(7).slice(0, n) + '\n');
    assert.equal(seq(residues(29)), false);
    assert.equal(seq(residues(30)), true);
    assert.equal(seq(residues(1500)), true);
    assert.equal(seq(residues(1501)), false);
  });

  test('rejected at 95% or more ACGTUN, either case', () => {
    const mix = (nuc: number, other: number, letters = 'ACGT') =>
      bytes('>x\n' + letters.repeat(nuc).slice(0, nuc) + 'L'.repeat(other));
    assert.equal(seq(mix(94, 6)), true);
    assert.equal(seq(mix(95, 5)), false);
    assert.equal(seq(mix(95, 5, 'acgun')), false);
  });

  test("residues are ACDEFGHIKLMNPQRSTVWYX and '-', in any case (with Python's İ ı ſ K case matches)", () => {
    const s = (body: string) => seq(bytes('>x\n' + body + P5PTP.slice(0, 40)));
    assert.equal(s('acdefghiklmnpqrstvwyx-'), true);
    assert.equal(s('\u0130\u0131\u017f\u212a'), true);
    for (const bad of ['B', 'Z', 'J', 'O', 'U', '*', ' ', '\t', '.', '1', 'é'])
      assert.equal(s(bad), false, JSON.stringify(bad));
  });

  test("one header or fewer: header and ';' lines dropped, any line breaks", () => {
    assert.equal(seq(bytes(';comment\n' + HEADER + P5PTP.slice(0, 100) + '\r\n' + P5PTP.slice(100) + '\r\n')), true);
    assert.equal(seq(bytes(HEADER + P5PTP.slice(0, 100) + '\r' + P5PTP.slice(100))), true);
    assert.equal(seq(bytes(HEADER + P5PTP.slice(0, 100) + '\u2028' + P5PTP.slice(100))), true);
    assert.equal(seq(bytes(HEADER + P5PTP.slice(0, 100) + ' ' + P5PTP.slice(100))), false);
    assert.equal(
      seq(bytes('\ufeff' + HEADER + P5PTP)),
      false,
      'a BOM is kept by decode("utf-8"), so the first line is not a header',
    );
  });

  test("alignments: A_A compares the total with the first sequence's length times the count", () => {
    const a = P5PTP.slice(0, 100);
    assert.equal(
      seq(bytes(`>a\n${a}\n>b\n${a.slice(0, 90)}\n>c\n${a}${a.slice(0, 10)}\n`)),
      true,
      '100 + 90 + 110 = 3 × 100',
    );
    assert.equal(seq(bytes(`>a\n${a}\n>b\n${a.slice(0, 90)}\n`)), false);
    assert.equal(seq(bytes(`>a\n;note\n${a}\n>b\n${a}\n`)), false, "';' lines count as residues in an alignment");
  });

  test('where A_A raises (HTTP 500): not UTF-8, an alignment not starting with a header', () => {
    assert.equal(runValidator('seq', raw([0xff, 0xfe, 0x41])), 'crash');
    assert.equal(seq(raw([0xff, 0xfe, 0x41])), false);
    assert.equal(runValidator('seq', bytes(`${P5PTP}\n>a\n${P5PTP}\n>b\n${P5PTP}\n`)), 'crash');
    assert.equal(runValidator('seq', bytes('AAA>BBB>')), 'crash');
    assert.equal(runValidator('seq', bytes(FASTA)), 'valid');
    assert.equal(runValidator('seq', bytes(HEADER)), 'invalid');
  });
});

describe('pdb_file', () => {
  test('accepts a PDB file; rejects a FASTA file (A_A tests)', () => {
    assert.equal(pdb_file(bytes(PDB)), true);
    assert.equal(pdb_file(bytes(FASTA)), false, "'ATOM records' has no number");
  });

  test('ATOM, whitespace, digits, in any case, anywhere', () => {
    for (const t of ['atom 5', 'xxATOM\n\n12', 'AToM\t\t3', 'ATOM\x1c7', 'ATOM\u30007', 'ATOM \u0661'])
      assert.equal(pdb_file(bytes(t)), true, JSON.stringify(t));
    for (const t of ['ATOM1', 'ATOMS 1', 'ATOM\ufeff7', 'HETATM', ''])
      assert.equal(pdb_file(bytes(t)), false, JSON.stringify(t));
    assert.equal(runValidator('pdb_file', raw([0xc3, 0x28])), 'crash');
  });
});

describe('gif, png, jpeg (imghdr)', () => {
  test("A_A's tests: each accepts its own kind, rejects another", () => {
    assert.equal(png(PNG), true);
    assert.equal(png(GIF), false);
    assert.equal(gif(GIF), true);
    assert.equal(gif(PNG), false);
    assert.equal(jpeg(JFIF), true);
    assert.equal(jpeg(GIF), false);
  });

  test('the magic numbers imghdr knows', () => {
    assert.equal(gif(GIF87), true);
    assert.equal(jpeg(EXIF), true);
    assert.equal(jpeg(RAW_JPEG), true);
    assert.equal(
      imghdrWhat(raw([0xff, 0xd8, 0xff, 0xe0])),
      null,
      'a JPEG start without JFIF/Exif or a quantisation table',
    );
    assert.equal(imghdrWhat(raw('GIF89a', 'JFIF')), 'jpeg', 'imghdr tries jpeg first');
    assert.equal(gif(raw('GIF89a', 'JFIF')), false);
    const cases: Array<[Uint8Array, string | null]> = [
      [raw('MM'), 'tiff'],
      [raw('II*'), 'tiff'],
      [raw([1, 0xda]), 'rgb'],
      [raw('P1 '), 'pbm'],
      [raw('P5\n'), 'pgm'],
      [raw('P6\r'), 'ppm'],
      [raw('P7 '), null],
      [raw('P1'), null],
      [raw([0x59, 0xa6, 0x6a, 0x95]), 'rast'],
      [raw('#define x'), 'xbm'],
      [raw('BM'), 'bmp'],
      [raw('RIFF', [0, 0, 0, 0], 'WEBP'), 'webp'],
      [raw('RIFF', [0, 0, 0, 0], 'WAVE'), null],
      [raw([0x76, 0x2f, 0x31, 0x01]), 'exr'],
      [raw([0x89], 'PNG\r\n', [0x1a]), null],
      [raw(''), null],
    ];
    for (const [data, kind] of cases) assert.equal(imghdrWhat(data), kind, Buffer.from(data).toString('latin1'));
  });

  test('bytes imghdr does not recognise: A_A raises (HTTP 500); here they are rejected', () => {
    for (const v of ['gif', 'png', 'jpeg'] as const) {
      assert.equal(runValidator(v, bytes('hello')), 'crash');
      assert.equal(VALIDATORS[v](bytes('hello')), false);
    }
    assert.equal(runValidator('png', GIF), 'invalid');
  });
});

describe('none, the registry, validateInput', () => {
  test('none accepts anything', () => {
    assert.equal(none(new Uint8Array()), true);
    assert.equal(runValidator('none', raw([0xff])), 'valid');
  });

  test('the validators by name', () => {
    assert.deepEqual([...VALIDATOR_NAMES], ['seq', 'pdb_file', 'gif', 'png', 'jpeg', 'none']);
    assert.deepEqual(Object.keys(VALIDATORS).sort(), [...VALIDATOR_NAMES].sort());
    assert.ok(isValidatorName('pdb_file'));
    assert.ok(!isValidatorName('pdb') && !isValidatorName('toString'));
  });

  test('every validator must accept; the first failure is reported', () => {
    assert.deepEqual(validateInput([], raw([0xff])), { ok: true });
    assert.deepEqual(validateInput(['none', 'seq'], bytes(FASTA)), { ok: true });
    assert.deepEqual(validateInput(['seq', 'pdb_file'], bytes(FASTA)), {
      ok: false,
      validator: 'pdb_file',
      outcome: 'invalid',
    });
    assert.deepEqual(validateInput(['png', 'seq'], bytes(FASTA)), { ok: false, validator: 'png', outcome: 'crash' });
    assert.equal(INPUT_NOT_VALIDATED_MESSAGE, 'Input data could not be validated');
  });
});

describe("nucleotide_fasta (Helixgate's, for the typing and assembly jobs)", () => {
  test('FASTA of bases passes: several records, lower case, IUPAC codes, gaps, CRLF', () => {
    assert.ok(nucleotideFasta(bytes('>contig1 len=8\nACGTACGT\n>contig2\r\nacgtnRYKM\r\nAC-GT\r\n')));
    assert.deepEqual(validateInput(['nucleotide_fasta'], bytes('>a\nACGT\n')), { ok: true });
  });
  test('anything else fails: no header, an empty record, protein letters, binary, nothing', () => {
    for (const text of [
      'ACGT\n',
      '>a\n>b\nACGT\n',
      '>a\nMKTAYIAKQ\n',
      '>a\n',
      '',
      'not fasta at all',
      '>a\nACGT\n>b\n',
    ]) {
      assert.equal(nucleotideFasta(bytes(text)), false, JSON.stringify(text));
    }
    assert.equal(nucleotideFasta(raw([0x3e, 0x61, 0x0a, 0xff, 0xfe])), false);
    assert.deepEqual(validateInput(['nucleotide_fasta'], bytes('>p\nMEFQ\n')), {
      ok: false,
      validator: 'nucleotide_fasta',
      outcome: 'invalid',
    });
  });
  test('fed in pieces split anywhere (inside a line, a CRLF, a UTF-8 character) it agrees with the whole', () => {
    const texts = [
      '>contig1 Ångström\r\nACGTACGT\r\n>contig2\nacgtn\n',
      '>a\nACGT\n>b\n',
      '>a\nACGEFT\n',
      '>é\nAC\nGT',
    ];
    for (const text of texts) {
      const whole = nucleotideFasta(bytes(text));
      const data = bytes(text);
      for (let cut = 1; cut < data.length; cut++) {
        const check = new NucleotideFastaCheck();
        check.push(data.subarray(0, cut));
        check.push(data.subarray(cut));
        assert.equal(check.end(), whole, `${JSON.stringify(text)} cut at ${cut}`);
      }
    }
  });
});

describe("pythonSplitlines (Python's str.splitlines)", () => {
  test('its line boundaries, no trailing empty line', () => {
    assert.deepEqual(pythonSplitlines(''), []);
    assert.deepEqual(pythonSplitlines('a'), ['a']);
    assert.deepEqual(pythonSplitlines('a\n'), ['a']);
    assert.deepEqual(pythonSplitlines('a\n\n'), ['a', '']);
    assert.deepEqual(
      pythonSplitlines('a\r\nb\rc\x0bd\x0ce\x1cf\x1dg\x1eh\x85i\u2028j\u2029k'),
      Array.from('abcdefghijk'),
    );
    assert.deepEqual(pythonSplitlines('a\x1fb\tc'), ['a\x1fb\tc']);
  });
});
