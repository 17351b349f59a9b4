import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type GeneratedIsolate,
  type GeneratedIsolatesDatabase,
  generateIsolates,
  importPubmlstScheme,
  type Stack,
  startStack,
} from '@helixgate/testing';
import request from 'supertest';

/**
 * A large isolates database made by `generate-isolates` from the neisseria profiles and loaded by `import-isolates`,
 * read back through the gateway and checked against the generated file: paging, searches on fields of each type,
 * on a locus and on the scheme's ST, records, and whole-list exports. LARGE_ISOLATES sets the size (default 20,000:
 * what imports in about a minute on FerretDB with two busy CPUs; 100,000 takes about five, see the README).
 */
const COUNT = Number(process.env.LARGE_ISOLATES ?? 20_000);
const SEQDEF = 'pubmlst_neisseria_seqdef';
const ISOLATES = 'generated_neisseria_isolates';
const today = () => new Date().toISOString().slice(0, 10);

describe(`a generated isolates database of ${COUNT} isolates`, () => {
  let stack: Stack;
  let generated: GeneratedIsolatesDatabase;
  let imported: { isolates: Record<string, number>; designations: Record<string, number> };
  const dir = mkdtempSync(join(tmpdir(), 'generated-isolates-'));
  const api = () => request(stack.baseUrl);
  const db = `/db/${ISOLATES}`;
  const idOf = (uri: string) => Number(uri.slice(uri.lastIndexOf('/') + 1));
  /** The ids (row number) of the generated rows that pass a test, in id order. */
  const idsWhere = (test: (row: GeneratedIsolate) => boolean) =>
    generated.rows.flatMap((row, i) => (test(row) ? [i + 1] : []));
  const search = (terms: Record<string, unknown>, query = '') =>
    api().post(`${db}/isolates/search${query}`).set('Content-Type', 'application/json').send(terms);

  before(async () => {
    stack = await startStack(['typing-db'], { gateway: { RPC_TIMEOUT_MS: '60000' } });
    await importPubmlstScheme(stack, 'neisseria', SEQDEF);
    generated = await generateIsolates(stack, { count: COUNT, seed: 7, dir });
    imported = (await stack.cli('typing-db', [
      'import-isolates',
      '--database',
      ISOLATES,
      '--seqdef',
      SEQDEF,
      '--fields',
      generated.fields,
      '--file',
      generated.file,
    ])) as typeof imported;
  });
  after(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every generated isolate is imported with its seven designations', () => {
    assert.deepEqual(imported.isolates, { seen: COUNT, inserted: COUNT, updated: 0 });
    assert.equal(imported.designations.inserted, COUNT * generated.loci.length);
  });

  test('the list pages through every isolate in id order, with and without date filters', async () => {
    const page = await api().get(`${db}/isolates?page=3&page_size=50`).expect(200);
    assert.equal(page.body.records, COUNT);
    assert.deepEqual(
      page.body.isolates.map(idOf),
      Array.from({ length: 50 }, (_, i) => 101 + i),
    );
    assert.equal(page.body.last_added, today());
    const lastPage = Math.ceil(COUNT / 100);
    assert.match(page.body.paging.last, new RegExp(`page=${Math.ceil(COUNT / 50)}&page_size=50$`));
    const last = await api().get(`${db}/isolates?page=${lastPage}`).expect(200);
    assert.equal(idOf(last.body.isolates.at(-1)), COUNT);
    const added = await api().get(`${db}/isolates?added_on=today&page=2`).expect(200);
    assert.equal(added.body.records, COUNT);
    assert.equal(idOf(added.body.isolates[0]), 101);
    const none = await api().get(`${db}/isolates?added_after=today`).expect(200);
    assert.equal(none.body.records, 0);
  });

  test('records carry the generated provenance, aliases, references, projects and the profile ST', async () => {
    const fields = new Map<string, string>(
      (await api().get(`${db}/fields`).expect(200)).body.map((f: { name: string; type: string }) => [f.name, f.type]),
    );
    for (const id of [1, 2, Math.floor(COUNT / 3), Math.floor(COUNT / 2) + 1, COUNT]) {
      const row = generated.rows[id - 1];
      const res = await api().get(`${db}/isolates/${id}`).expect(200);
      const provenance = res.body.provenance as Record<string, unknown>;
      assert.equal(provenance.id, id);
      for (const [name, type] of fields) {
        if (!(name in row)) continue;
        const expected = row[name] === '' ? undefined : type === 'int' ? Number(row[name]) : row[name];
        assert.equal(provenance[name], expected, `isolate ${id} ${name}`);
      }
      const list = (cell: string) => cell.split(';').filter(Boolean);
      assert.deepEqual(res.body.aliases ?? [], list(row.aliases));
      assert.deepEqual(
        (res.body.publications ?? []).map((p: { pubmed_id: number }) => String(p.pubmed_id)),
        list(row.references),
      );
      assert.deepEqual(
        (res.body.projects ?? []).map((p: { description: string }) => p.description),
        list(row.projects),
      );
      assert.equal(res.body.allele_designations.designation_count, generated.loci.length);
      const profile = generated.profiles.get(generated.loci.map((l) => row[l]).join('\t'));
      assert.equal(String(res.body.schemes[0].fields.ST), profile?.ST, `isolate ${id} ST`);
    }
  });

  test('searches on text, int and date fields, a locus and the ST select what the file holds', async () => {
    const middle = generated.rows[Math.floor(COUNT / 2)];
    const dated = generated.rows.find((r) => r.date_sampled)!;
    const st = generated.profiles.get(generated.loci.map((l) => middle[l]).join('\t'))!.ST;
    const cases: Array<[Record<string, unknown>, (row: GeneratedIsolate) => boolean]> = [
      [{ 'field.country': 'the gambia' }, (r) => r.country === 'The Gambia'],
      [{ 'field.serogroup': middle.serogroup || 'B' }, (r) => r.serogroup === (middle.serogroup || 'B')],
      [{ 'field.year': 1990 }, (r) => r.year === '1990'],
      [{ 'field.date_sampled': dated.date_sampled }, (r) => r.date_sampled === dated.date_sampled],
      [{ 'field.isolate': middle.isolate.toLowerCase() }, (r) => r.isolate === middle.isolate],
      [{ 'locus.abcZ': middle.abcZ }, (r) => r.abcZ === middle.abcZ],
      [
        { 'field.continent': 'Europe', 'field.year': Number(middle.year || 2000) },
        (r) => r.continent === 'Europe' && r.year === (middle.year || '2000'),
      ],
      [
        { 'scheme.1.ST': Number(st) },
        (r) => generated.profiles.get(generated.loci.map((l) => r[l]).join('\t'))?.ST === st,
      ],
    ];
    for (const [terms, test] of cases) {
      const expected = idsWhere(test);
      const res = await search(terms).expect(200);
      assert.equal(res.body.records, expected.length, JSON.stringify(terms));
      assert.deepEqual((res.body.isolates ?? []).map(idOf), expected.slice(0, 100), JSON.stringify(terms));
    }
  });

  test("exports: the whole list, a whole search and a field's values", async () => {
    const all = await api().get(`${db}/isolates?return_all=1`).expect(200);
    assert.equal(all.body.isolates.length, COUNT);
    assert.deepEqual(
      all.body.isolates.map(idOf),
      Array.from({ length: COUNT }, (_, i) => i + 1),
    );
    const europe = await search({ 'field.continent': 'Europe' }, '?return_all=1').expect(200);
    assert.deepEqual(
      europe.body.isolates.map(idOf),
      idsWhere((r) => r.continent === 'Europe'),
    );
    const countries = await api().get(`${db}/fields/country?return_all=1`).expect(200);
    assert.deepEqual(countries.body.values, [...new Set(generated.rows.map((r) => r.country).filter(Boolean))].sort());
  });
});
