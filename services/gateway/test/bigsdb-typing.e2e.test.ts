import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

const run = promisify(execFile);
const DB = 'pubmlst_sepidermidis_seqdef';
const DATA = join(repoRoot(), '..', 'shared', 'data', 'pubmlst', 'sepidermidis');
const LOCI = ['arcC', 'aroE', 'gtr', 'mutS', 'pyrR', 'tpiA', 'yqiL'];

describe('BIGSdb read routes over real PubMLST data (S. epidermidis scheme)', () => {
  let stack: Stack;
  /** What the first import (made before any test, which every route below reads) reported. */
  let firstImport: Awaited<ReturnType<typeof importScheme>>;
  const api = () => request(stack.baseUrl);
  const importScheme = async () =>
    (await stack.cli('typing-db', [
      'import-scheme',
      '--database',
      DB,
      '--dir',
      DATA,
      '--group',
      'sepidermidis',
      '--description',
      'S. epidermidis sequence/profile definitions',
    ])) as {
      loci: number;
      alleles: { seen: number; inserted: number };
      profiles: { inserted: number };
    };

  before(async () => {
    stack = await startStack(['typing-db']);
    firstImport = await importScheme();
  });
  after(async () => {
    await stack?.close();
  });

  test('the import loads every allele and profile, and a second import changes nothing', async () => {
    const first = firstImport;
    assert.deepEqual([first.loci, first.alleles.inserted, first.profiles.inserted], [7, 649, 1287]);
    const second = await importScheme();
    assert.deepEqual([second.alleles.seen, second.alleles.inserted, second.profiles.inserted], [649, 0, 0]);
  });

  test('GET / and /db: groups with their databases and absolute links', async () => {
    for (const path of ['/', '/db']) {
      const res = await api().get(path);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, [
        {
          name: 'sepidermidis',
          description: 'sepidermidis',
          databases: [
            { name: DB, description: 'S. epidermidis sequence/profile definitions', href: `${stack.baseUrl}/db/${DB}` },
          ],
        },
      ]);
    }
  });

  test('GET /db/{db}: the keys a seqdef database has (as pyMLST sees them)', async () => {
    const res = await api().get(`/db/${DB}`);
    assert.deepEqual(Object.keys(res.body).sort(), ['curators', 'loci', 'schemes', 'sequences']);
    assert.equal(res.body.loci, `${stack.baseUrl}/db/${DB}/loci`);
  });

  test('loci: one page, no paging object, paging headers set', async () => {
    const res = await api().get(`/db/${DB}/loci`);
    assert.equal(res.status, 200);
    assert.equal(res.body.records, 7);
    assert.deepEqual(
      res.body.loci,
      LOCI.map((l) => `${stack.baseUrl}/db/${DB}/loci/${l}`),
    );
    assert.equal(res.body.paging, undefined);
    assert.deepEqual(
      [res.headers['x-per-page'], res.headers['x-offset'], res.headers['x-total-pages']],
      ['100', '0', '1'],
    );
  });

  test('loci: page_size pages with BIGSdb links; X-OFFSET/X-PER-PAGE; return_all', async () => {
    const page2 = await api().get(`/db/${DB}/loci?page=2&page_size=3`);
    assert.deepEqual(
      page2.body.loci.map((u: string) => u.split('/').pop()),
      ['mutS', 'pyrR', 'tpiA'],
    );
    assert.deepEqual(page2.body.paging, {
      first: `${stack.baseUrl}/db/${DB}/loci?page=1&page_size=3`,
      previous: `${stack.baseUrl}/db/${DB}/loci?page=1&page_size=3`,
      next: `${stack.baseUrl}/db/${DB}/loci?page=3&page_size=3`,
      last: `${stack.baseUrl}/db/${DB}/loci?page=3&page_size=3`,
      return_all: `${stack.baseUrl}/db/${DB}/loci?return_all=1`,
    });
    assert.deepEqual(
      [page2.headers['x-per-page'], page2.headers['x-offset'], page2.headers['x-total-pages']],
      ['3', '3', '3'],
    );
    const headerMode = await api().get(`/db/${DB}/loci`).set('X-OFFSET', '5').set('X-PER-PAGE', '2');
    assert.deepEqual(
      headerMode.body.loci.map((u: string) => u.split('/').pop()),
      ['tpiA', 'yqiL'],
    );
    assert.equal(headerMode.body.paging, undefined);
    const all = await api().get(`/db/${DB}/loci?page_size=2&return_all=1`);
    assert.equal(all.body.loci.length, 7);
    assert.equal(all.body.paging, undefined);
  });

  test('a locus record', async () => {
    const res = await api().get(`/db/${DB}/loci/arcC`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, 'arcC');
    assert.equal(res.body.data_type, 'DNA');
    assert.equal(res.body.allele_id_format, 'integer');
    assert.equal(res.body.alleles, `${stack.baseUrl}/db/${DB}/loci/arcC/alleles`);
    assert.equal(res.body.alleles_fasta, `${stack.baseUrl}/db/${DB}/loci/arcC/alleles_fasta`);
    assert.deepEqual(res.body.schemes, [{ scheme: `${stack.baseUrl}/db/${DB}/schemes/1`, description: 'MLST' }]);
  });

  test('alleles: numeric order, paged 100 at a time (aroE has 113), and an allele record from the real file', async () => {
    const first = await api().get(`/db/${DB}/loci/aroE/alleles`);
    assert.equal(first.status, 200);
    assert.equal(first.body.records, 113);
    const ids = first.body.alleles.map((u: string) => Number(u.split('/').pop()));
    assert.equal(ids.length, 100);
    assert.deepEqual(
      ids.slice(0, 12),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      'integer ids in numeric order, not 1, 10, 100',
    );
    assert.deepEqual(first.body.paging, {
      next: `${stack.baseUrl}/db/${DB}/loci/aroE/alleles?page=2&page_size=100`,
      last: `${stack.baseUrl}/db/${DB}/loci/aroE/alleles?page=2&page_size=100`,
      return_all: `${stack.baseUrl}/db/${DB}/loci/aroE/alleles?return_all=1`,
    });
    const second = await api().get(first.body.paging.next.slice(stack.baseUrl.length));
    assert.equal(second.body.alleles.length, 13);
    const record = await api().get(`/db/${DB}/loci/arcC/alleles/16`);
    assert.equal(record.status, 200);
    assert.equal(record.body.allele_id, '16');
    assert.equal(record.body.locus, `${stack.baseUrl}/db/${DB}/loci/arcC`);
    assert.ok(
      record.body.sequence.startsWith('TTCTACACTAAAGAAGAAGCAAATCGTATTCAACAGGAAAAAGGTTATCAATTTGTAGAA'),
      'the sequence of >arcC_16 in arcC.tfa',
    );
  });

  test('alleles_fasta: every allele of the locus, byte for byte as the distribution file', async () => {
    const res = await api()
      .get(`/db/${DB}/loci/aroE/alleles_fasta`)
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => done(null, text));
      });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain; charset=utf-8/i);
    const expected = readFileSync(join(DATA, 'aroE.tfa'), 'utf8').trim().split('\n');
    const lines = (res.body as string).trim().split('\n');
    assert.equal(lines.length, expected.length);
    assert.deepEqual(new Set(lines), new Set(expected), 'same records as aroE.tfa');
    assert.equal(lines[0], '>aroE_1');
  });

  test('schemes, a scheme, profiles (paged) and a profile', async () => {
    const schemes = await api().get(`/db/${DB}/schemes`);
    assert.deepEqual(schemes.body, {
      records: 1,
      schemes: [{ scheme: `${stack.baseUrl}/db/${DB}/schemes/1`, description: 'MLST' }],
    });
    const scheme = await api().get(`/db/${DB}/schemes/1`);
    assert.equal(scheme.body.locus_count, 7);
    assert.equal(scheme.body.records, 1287);
    assert.equal(scheme.body.primary_key_field, `${stack.baseUrl}/db/${DB}/schemes/1/fields/ST`);
    assert.deepEqual(
      scheme.body.loci,
      LOCI.map((l) => `${stack.baseUrl}/db/${DB}/loci/${l}`),
    );
    const profiles = await api().get(`/db/${DB}/schemes/1/profiles?page=13`);
    assert.equal(profiles.body.records, 1287);
    assert.equal(profiles.body.profiles.length, 87);
    assert.equal(profiles.headers['x-total-pages'], '13');
    const st184 = await api().get(`/db/${DB}/schemes/1/profiles/184?allele_ids_only=1`);
    assert.equal(st184.status, 200);
    assert.equal(st184.body.ST, 184, 'integer scheme fields are JSON numbers');
    assert.deepEqual(
      st184.body.alleles,
      [
        ['arcC', '16'],
        ['aroE', '1'],
        ['gtr', '2'],
        ['mutS', '1'],
        ['pyrR', '2'],
        ['tpiA', '1'],
        ['yqiL', '1'],
      ].map(([locus, allele_id]) => ({ locus, allele_id })),
      'ST-184 as shared/data/README.md gives it',
    );
  });

  test('profiles_csv: the same header and rows as the distribution file', async () => {
    const res = await api().get(`/db/${DB}/schemes/1/profiles_csv`);
    assert.equal(res.status, 200);
    const source = readFileSync(join(DATA, 'sepidermidis.txt'), 'utf8').replace(/\r/g, '').trimEnd().split('\n');
    const lines = res.text.trimEnd().split('\n');
    assert.equal(lines[0], 'ST\tarcC\taroE\tgtr\tmutS\tpyrR\ttpiA\tyqiL\tclonal_complex');
    assert.equal(lines.length, 1 + 1287);
    assert.deepEqual(new Set(lines), new Set(source));
  });

  test('every link a response gives leads somewhere', async () => {
    const db = (await api().get(`/db/${DB}`)).body as Record<string, string>;
    for (const link of Object.values(db))
      assert.equal((await api().get(link.slice(stack.baseUrl.length))).status, 200, link);
    assert.deepEqual((await api().get(`/db/${DB}/sequences`)).body.records, 649);
    const scheme = (await api().get(`/db/${DB}/schemes/1`)).body as { fields: string[] };
    const fields = await Promise.all(scheme.fields.map((f) => api().get(f.slice(stack.baseUrl.length))));
    assert.deepEqual(
      fields.map((f) => f.body),
      [
        { field: 'ST', type: 'integer', primary_key: true },
        { field: 'clonal_complex', type: 'text', primary_key: false },
      ],
    );
  });

  test("the walks of BIGSdb's example scripts (get_schemes.py, download_alleles.py) with python requests", async () => {
    const out = mkdtempSync(join(tmpdir(), 'hg-alleles-'));
    const { stdout } = await run('/usr/bin/python3', [
      join(__dirname, '..', '..', 'test', 'fixtures', 'bigsdb_walks.py'),
      stack.baseUrl,
      DB,
      out,
    ]);
    const lines = stdout.trim().split('\n');
    assert.equal(lines[0], `S. epidermidis sequence/profile definitions\tMLST\t${stack.baseUrl}/db/${DB}/schemes/1`);
    const written = lines.filter((l) => l.startsWith('wrote\t')).map((l) => l.split('\t'));
    assert.deepEqual(
      written.map((w) => w[1].split('/').pop()),
      LOCI.map((l) => `${l}.fas`),
    );
    for (const [, path, count] of written) {
      const locus = path.split('/').pop()!.replace('.fas', '');
      assert.equal(Number(count), readFileSync(join(DATA, `${locus}.tfa`), 'utf8').split('>').length - 1, locus);
    }
  });

  test("errors in BIGSdb's shape and words", async () => {
    const cases: Array<[string, number, string]> = [
      ['/db/nothing_here', 404, 'Database nothing_here has not been defined'],
      [`/db/${DB}/loci/nope`, 404, 'Locus nope does not exist.'],
      [`/db/${DB}/loci/arcC/alleles/99999`, 404, 'Allele arcC-99999 does not exist.'],
      [`/db/${DB}/schemes/9`, 404, 'Scheme 9 does not exist.'],
      [`/db/${DB}/schemes/1/profiles/99999`, 404, 'Profile ST-99999 does not exist.'],
    ];
    for (const [path, status, message] of cases) {
      const res = await api().get(path);
      assert.equal(res.status, status, path);
      assert.deepEqual(res.body, { status, title: `Error ${status} - Not Found`, message });
    }
    const badScheme = await api().get(`/db/${DB}/schemes/abc`);
    assert.deepEqual(badScheme.body, {
      status: 400,
      title: 'Error 400 - Bad Request',
      message: 'Scheme id must be an integer.',
    });
  });
});
