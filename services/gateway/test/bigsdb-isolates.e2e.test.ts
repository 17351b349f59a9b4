import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

/**
 * The default site's neisseria databases, loaded the way `npm start` loads them: the real PubMLST scheme, its
 * classification into single-locus-variant groups, and the seed isolates with the three complete genomes as contigs.
 */
const run = promisify(execFile);
const SEQDEF = 'pubmlst_neisseria_seqdef';
const ISOLATES = 'pubmlst_neisseria_isolates';
const SHARED = join(repoRoot(), '..', 'shared', 'data');
const SEED = join(repoRoot(), 'deploy', 'local', 'seed', ISOLATES);
const LOCI = ['abcZ', 'adk', 'aroE', 'fumC', 'gdh', 'pdhC', 'pgm'];
const today = () => new Date().toISOString().slice(0, 10);

/** The sequence of a one-record FASTA file, as stored. */
const fastaSequence = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('>'))
    .join('')
    .replace(/\s/g, '')
    .toUpperCase();

describe('BIGSdb isolate databases over the default neisseria site', () => {
  let stack: Stack;
  /** The classification and the first isolates import, made before any test: every route below reads them. */
  let classified: Record<string, number>;
  let firstImport: {
    isolates: Record<string, number>;
    designations: Record<string, number>;
    contigs: Record<string, number>;
  };
  const api = () => request(stack.baseUrl);
  const classify = async (extra: string[] = []) =>
    (await stack.cli('typing-db', [
      'classify',
      '--database',
      SEQDEF,
      '--id',
      '1',
      '--name',
      'MLST_SLV',
      '--threshold',
      '1',
      ...extra,
    ])) as Record<string, number>;
  const isolatesImport = (file: string, extra: string[] = []) =>
    stack.cli('typing-db', [
      'import-isolates',
      '--database',
      ISOLATES,
      '--seqdef',
      SEQDEF,
      '--group',
      'neisseria',
      '--fields',
      join(SEED, 'fields.json'),
      '--file',
      file,
      '--contigs-dir',
      join(SHARED, 'genomes'),
      ...extra,
    ]);
  const links = (uris: string[]) => uris.map((u) => u.slice(stack.baseUrl.length));
  const search = (body: unknown, query = '') =>
    api()
      .post(`/db/${ISOLATES}/isolates/search${query}`)
      .set('Content-Type', 'application/json')
      .send(body as object);

  before(async () => {
    // Every profile at once (return_all, the CSV download) takes typing-db seconds of CPU: on a test machine busy
    // with other files, more than the gateway's 10 s default RPC timeout.
    stack = await startStack(['typing-db'], { gateway: { RPC_TIMEOUT_MS: '30000' } });
    await stack.cli('typing-db', [
      'import-scheme',
      '--database',
      SEQDEF,
      '--dir',
      join(SHARED, 'pubmlst', 'neisseria'),
      '--group',
      'neisseria',
    ]);
    classified = await classify(['--description', 'single-locus variants']);
    firstImport = (await isolatesImport(join(SEED, 'isolates.tsv'))) as typeof firstImport;
  });
  after(async () => {
    await stack?.close();
  });

  test('classification and isolates load with their genomes; loading again changes nothing', async () => {
    assert.equal(classified.profiles, 19242);
    assert.ok(classified.groups > 1000 && classified.groups < 19242, `${classified.groups} groups`);
    const first = firstImport;
    assert.deepEqual(first.isolates, { seen: 6, inserted: 6, updated: 0 });
    assert.equal(first.designations.inserted, 42);
    assert.deepEqual(first.contigs, { inserted: 3, bases: 2184406 + 2184862 + 2183230 });
    const again = (await isolatesImport(join(SEED, 'isolates.tsv'))) as typeof first;
    assert.deepEqual(
      [again.isolates, again.designations.inserted, again.contigs.inserted],
      [{ seen: 6, inserted: 0, updated: 0 }, 0, 0],
    );
    const reclassified = await classify();
    assert.deepEqual([reclassified.inserted, reclassified.groups], [0, classified.groups]);
  });

  test('bad isolate files are refused whole, naming the line, and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isolates-'));
    const bad = join(dir, 'bad.tsv');
    writeFileSync(
      bad,
      'isolate\tspecies\tyear\tabcZ\nX1\tNeisseria meningitidis\tsoon\t1\nX2\tNot a species\t1990\tfoo\n',
    );
    await assert.rejects(isolatesImport(bad), /line 2: year must be an integer/);
    const unknown = join(dir, 'unknown.tsv');
    writeFileSync(unknown, 'isolate\tspecies\thost\nX1\tNeisseria meningitidis\thuman\n');
    await assert.rejects(isolatesImport(unknown), /column "host" is not a field/);
    const res = await api().get(`/db/${ISOLATES}/isolates`);
    assert.equal(res.body.records, 6);
  });

  test('GET /db lists both neisseria databases; GET /db/{isolates db} has the isolate resources', async () => {
    const groups = (await api().get('/db')).body as Array<{ name: string; databases: Array<{ name: string }> }>;
    assert.deepEqual(
      groups.find((g) => g.name === 'neisseria')?.databases.map((d) => d.name),
      [ISOLATES, SEQDEF],
    );
    const res = await api().get(`/db/${ISOLATES}`);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'curators',
      'fields',
      'genomes',
      'isolates',
      'loci',
      'projects',
      'schemes',
    ]);
    assert.equal(res.body.isolates, `${stack.baseUrl}/db/${ISOLATES}/isolates`);
  });

  test("the spec's curl example: X-PER-PAGE / X-OFFSET on the isolates list", async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-i',
      '-H',
      'X-PER-PAGE:4',
      '-H',
      'X-OFFSET:2',
      `${stack.baseUrl}/db/${ISOLATES}/isolates`,
    ]);
    const [head, body] = stdout.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 200/);
    assert.match(head, /x-per-page: 4/i);
    assert.match(head, /x-total-pages: 2/i);
    const json = JSON.parse(body);
    assert.deepEqual(
      links(json.isolates),
      [3, 4, 5, 6].map((id) => `/db/${ISOLATES}/isolates/${id}`),
    );
    assert.equal(json.records, 6);
    assert.equal(json.paging, undefined);
    assert.equal(json.last_added, today());
  });

  test('an isolate record: typed provenance, publications, sequence bin, designations, scheme fields, projects', async () => {
    const res = await api().get(`/db/${ISOLATES}/isolates/1`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.provenance, {
      id: 1,
      isolate: 'Z2491',
      species: 'Neisseria meningitidis',
      serogroup: 'A',
      country: 'The Gambia',
      continent: 'Africa',
      year: 1983,
      comments: 'GenBank AL157959, complete genome',
      date_entered: today(),
      datestamp: today(),
    });
    assert.deepEqual(res.body.publications, [
      { pubmed_id: 10761919, citation_link: 'https://www.ncbi.nlm.nih.gov/pubmed/10761919' },
    ]);
    assert.deepEqual(res.body.sequence_bin, {
      contig_count: 1,
      total_length: 2184406,
      N50: 2184406,
      L50: 1,
      contigs: `${stack.baseUrl}/db/${ISOLATES}/isolates/1/contigs`,
      contigs_fasta: `${stack.baseUrl}/db/${ISOLATES}/isolates/1/contigs_fasta`,
    });
    assert.equal(res.body.allele_designations.designation_count, 7);
    assert.equal(res.body.schemes.length, 1);
    assert.deepEqual(res.body.schemes[0].fields, { ST: 4, clonal_complex: 'ST-4 complex' });
    assert.equal(res.body.schemes[0].loci_designated_count, 7);
    assert.deepEqual(res.body.projects, [
      { id: `${stack.baseUrl}/db/${ISOLATES}/projects/1`, description: 'Complete genomes' },
    ]);
    assert.equal(res.body.history, undefined);
    const only = await api().get(`/db/${ISOLATES}/isolates/1?provenance_only=1`);
    assert.deepEqual(Object.keys(only.body), ['provenance']);
  });

  test('the known sequence types of the genomes come back as scheme fields; ST-11 isolates share a classification group', async () => {
    const expected: Record<number, [number, string]> = {
      1: [4, 'ST-4 complex'],
      2: [8, 'ST-8 complex'],
      3: [11, 'ST-11 complex'],
      4: [11, 'ST-11 complex'],
      5: [42, 'ST-41/44 complex'],
      6: [74, 'ST-32 complex'],
    };
    for (const [id, [st, cc]] of Object.entries(expected)) {
      const res = await api().get(`/db/${ISOLATES}/isolates/${id}`);
      assert.deepEqual(res.body.schemes[0].fields, { ST: st, clonal_complex: cc }, `isolate ${id}`);
    }
    const w = (await api().get(`/db/${ISOLATES}/isolates/3`)).body.schemes[0].classification_schemes.MLST_SLV;
    assert.equal(w.href, `${stack.baseUrl}/db/${ISOLATES}/classification_schemes/1`);
    assert.equal(w.groups.length, 1);
    const group = await api().get(links([w.groups[0].isolates])[0]);
    assert.equal(group.body.records, w.groups[0].records);
    const members = links(group.body.isolates);
    for (const id of [3, 4])
      assert.ok(members.includes(`/db/${ISOLATES}/isolates/${id}`), `isolate ${id} is in its ST's group`);
    assert.equal(
      (await api().get(`/db/${ISOLATES}/isolates/1`)).body.schemes[0].classification_schemes,
      undefined,
      'a group of one isolate is not listed',
    );
  });

  test('allele designations and allele ids: all, per locus, per scheme', async () => {
    const list = await api().get(`/db/${ISOLATES}/isolates/3/allele_designations?page_size=5`);
    assert.equal(list.body.records, 7);
    assert.deepEqual(
      links(list.body.allele_designations),
      LOCI.slice(0, 5).map((l) => `/db/${ISOLATES}/isolates/3/allele_designations/${l}`),
    );
    assert.ok(list.body.paging.next.endsWith('/isolates/3/allele_designations?page=2&page_size=5'));
    const one = await api().get(`/db/${ISOLATES}/isolates/3/allele_designations/aroE`);
    assert.deepEqual(one.body, [
      {
        locus: `${stack.baseUrl}/db/${ISOLATES}/loci/aroE`,
        allele_id: 4,
        status: 'confirmed',
        method: 'manual',
        datestamp: today(),
      },
    ]);
    const ids = await api().get(`/db/${ISOLATES}/isolates/3/allele_ids`);
    assert.deepEqual(ids.body, {
      records: 7,
      allele_ids: [{ abcZ: 2 }, { adk: 3 }, { aroE: 4 }, { fumC: 3 }, { gdh: 8 }, { pdhC: 4 }, { pgm: 6 }],
    });
    const schemeIds = await api().get(`/db/${ISOLATES}/isolates/3/schemes/1/allele_ids`);
    assert.deepEqual(schemeIds.body, ids.body);
    const schemeDesignations = await api().get(`/db/${ISOLATES}/isolates/3/schemes/1/allele_designations`);
    assert.equal(schemeDesignations.body.records, 7);
    assert.deepEqual(Object.keys(schemeDesignations.body.allele_designations[6]), ['pgm']);
    assert.equal(schemeDesignations.body.allele_designations[6].pgm[0].date_entered, today());
    const missing = await api().get(`/db/${ISOLATES}/isolates/3/allele_designations/nope`);
    assert.deepEqual([missing.status, missing.body.message], [404, 'Locus nope does not exist.']);
  });

  test('contigs: list, record, and the FASTA with either header', async () => {
    const list = await api().get(`/db/${ISOLATES}/isolates/1/contigs`);
    assert.equal(list.body.records, 1);
    const contigPath = links(list.body.contigs)[0];
    const contig = await api().get(contigPath);
    assert.equal(contig.status, 200);
    assert.deepEqual(
      [contig.body.isolate_id, contig.body.length, contig.body.original_designation],
      [1, 2184406, 'AL157959'],
    );
    const genome = fastaSequence(join(SHARED, 'genomes', 'neisseria_A.fna'));
    assert.equal(contig.body.sequence, genome);
    const fasta = await api()
      .get(`/db/${ISOLATES}/isolates/1/contigs_fasta`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    assert.match(fasta.headers['content-type'], /^text\/plain/);
    const [header, sequence] = (fasta.body as string).split('\n');
    assert.equal(header, `>${contig.body.id}`);
    assert.equal(
      createHash('sha256').update(sequence).digest('hex'),
      createHash('sha256').update(genome).digest('hex'),
    );
    const original = await api()
      .get(`/db/${ISOLATES}/isolates/1/contigs_fasta?header=original_designation`)
      .buffer(true);
    assert.ok(original.text.startsWith('>AL157959\nTACCTGAAAAAGC'));
    const bad = await api().get(`/db/${ISOLATES}/contigs/abc`);
    assert.deepEqual([bad.status, bad.body.message], [400, 'Contig id must be an integer.']);
    assert.equal((await api().get(`/db/${ISOLATES}/contigs/99999`)).status, 404);
  });

  test('genomes: isolates with at least 1,000,000 bases by default, genome_size filters', async () => {
    assert.deepEqual(
      links((await api().get(`/db/${ISOLATES}/genomes`)).body.isolates),
      [1, 2, 3].map((id) => `/db/${ISOLATES}/isolates/${id}`),
    );
    assert.equal((await api().get(`/db/${ISOLATES}/genomes?genome_size=2184500`)).body.records, 1);
    assert.equal((await api().get(`/db/${ISOLATES}/genomes?genome_size=3000000`)).body.records, 0);
  });

  test('fields and field values', async () => {
    const fields = (await api().get(`/db/${ISOLATES}/fields`)).body as Array<Record<string, unknown>>;
    assert.deepEqual(
      fields.map((f) => f.name),
      [
        'id',
        'isolate',
        'species',
        'serogroup',
        'country',
        'continent',
        'year',
        'comments',
        'sender',
        'curator',
        'date_entered',
        'datestamp',
      ],
    );
    assert.deepEqual(
      fields.find((f) => f.name === 'year'),
      {
        name: 'year',
        type: 'int',
        required: false,
        min: 1900,
        max: 2100,
        values: `${stack.baseUrl}/db/${ISOLATES}/fields/year`,
      },
    );
    assert.deepEqual((await api().get(`/db/${ISOLATES}/fields/country`)).body, {
      records: 4,
      values: ['New Zealand', 'The Gambia', 'UK', 'USA'],
    });
    assert.deepEqual((await api().get(`/db/${ISOLATES}/fields/year`)).body.values, [1983, 1998]);
    const missing = await api().get(`/db/${ISOLATES}/fields/nope`);
    assert.deepEqual([missing.status, missing.body.message], [404, 'Field nope does not exist.']);
  });

  test('projects, a project and its isolates', async () => {
    assert.deepEqual((await api().get(`/db/${ISOLATES}/projects`)).body, {
      records: 1,
      projects: [{ project: `${stack.baseUrl}/db/${ISOLATES}/projects/1`, description: 'Complete genomes' }],
    });
    assert.deepEqual((await api().get(`/db/${ISOLATES}/projects/1`)).body, {
      id: 1,
      description: 'Complete genomes',
      isolates: `${stack.baseUrl}/db/${ISOLATES}/projects/1/isolates`,
    });
    assert.equal((await api().get(`/db/${ISOLATES}/projects/1/isolates`)).body.records, 3);
    assert.equal((await api().get(`/db/${ISOLATES}/projects/x`)).body.message, 'Project id must be an integer.');
  });

  test("isolates/search: the spec's curl example, field, locus and scheme terms, and paging that keeps the search", async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-H',
      'Content-Type: application/json',
      '-X',
      'POST',
      `${stack.baseUrl}/db/${ISOLATES}/isolates/search`,
      '-d',
      '{"field.continent":"europe","field.year":2015,"scheme.1.ST":11}',
    ]);
    assert.deepEqual(JSON.parse(stdout), { records: 0, isolates: [] });
    const africa = await search({ 'field.continent': 'africa', 'scheme.1.ST': 4 });
    assert.deepEqual(links(africa.body.isolates), [`/db/${ISOLATES}/isolates/1`]);
    assert.deepEqual(
      links((await search({ 'locus.abcZ': 2 })).body.isolates),
      [2, 3, 4].map((id) => `/db/${ISOLATES}/isolates/${id}`),
    );
    assert.deepEqual(
      links((await search({ 'scheme.1.clonal_complex': 'st-11 COMPLEX' })).body.isolates),
      [3, 4].map((id) => `/db/${ISOLATES}/isolates/${id}`),
    );
    assert.equal((await search({ 'field.year': '1983' })).body.records, 1);
    const paged = await search({ 'field.species': 'Neisseria meningitidis' }, '?page_size=4');
    assert.equal(paged.body.records, 6);
    assert.equal(paged.body.paging.next, `${stack.baseUrl}/db/${ISOLATES}/isolates/search?page=2&page_size=4`);
    assert.equal(paged.headers['x-total-pages'], '2');
  });

  test('isolates/search refuses what BIGSdb refuses, with its messages', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'No query passed'],
      [{ 'foo.bar': 1 }, 'foo is not a recognized query parameter'],
      [{ 'field.nope': 1 }, 'nope is not a valid field.'],
      [{ 'field.year': 'recent' }, 'year is an integer field.'],
      [{ 'field.date_entered': '2020-02-30' }, 'date_entered is a date field.'],
      [{ 'locus.nope': '1' }, 'nope is not a valid locus'],
      [{ 'scheme.x.ST': 1 }, 'Scheme id must be an integer'],
      [{ 'scheme.9.ST': 1 }, 'Scheme 9 does not exist'],
      [{ 'scheme.1.nope': 1 }, 'Scheme 1 field nope does not exist'],
      [{ 'scheme.1.ST': 'eleven' }, 'ST is an integer field.'],
      [{ 'field.country': { $ne: null } }, 'Malformed request'],
    ];
    for (const [body, message] of cases) {
      const res = await search(body);
      assert.deepEqual(
        [res.status, res.body],
        [400, { status: 400, title: 'Error 400 - Bad Request', message }],
        JSON.stringify(body),
      );
    }
    const notJson = await api()
      .post(`/db/${ISOLATES}/isolates/search`)
      .set('Content-Type', 'application/json')
      .send('{"field.country":');
    assert.deepEqual([notJson.status, notJson.body.message], [400, 'Malformed request']);
    const wrongDb = await search({ 'field.country': 'UK' }).then(() =>
      api().post(`/db/${SEQDEF}/isolates/search`).send({ 'field.country': 'UK' }),
    );
    assert.deepEqual([wrongDb.status, wrongDb.body.message], [400, 'This is not an isolates database.']);
  });

  test('date filters on isolates, alleles, profiles and loci; bad dates are ignored as BIGSdb ignores them', async () => {
    const count = async (path: string) => (await api().get(path)).body.records;
    assert.equal(await count(`/db/${ISOLATES}/isolates?added_on=today`), 6);
    assert.equal(await count(`/db/${ISOLATES}/isolates?added_after=today`), 0);
    assert.equal(await count(`/db/${ISOLATES}/isolates?added_after=yesterday`), 6);
    assert.equal(await count(`/db/${ISOLATES}/isolates?updated_reldate=1`), 6);
    assert.equal(await count(`/db/${ISOLATES}/isolates?added_after=2021-02-30`), 6);
    assert.equal(await count(`/db/${ISOLATES}/isolates?added_reldate=soon`), 6);
    assert.equal(await count(`/db/${SEQDEF}/loci/abcZ/alleles?added_after=today`), 0);
    assert.equal(await count(`/db/${SEQDEF}/loci/abcZ/alleles?updated_on=${today()}&page_size=1`), 1373);
    assert.equal(await count(`/db/${SEQDEF}/schemes/1/profiles?added_after=today`), 0);
    assert.equal(await count(`/db/${SEQDEF}/loci?alleles_added_after=yesterday`), 7);
    assert.equal(await count(`/db/${SEQDEF}/loci?alleles_updated_after=today`), 0);
    assert.equal(await count(`/db/${SEQDEF}/schemes/1/loci?alleles_added_after=today`), 0);
    assert.deepEqual(
      links((await api().get(`/db/${SEQDEF}/schemes/1/loci`)).body.loci),
      LOCI.map((l) => `/db/${SEQDEF}/loci/${l}`),
    );
  });

  test('profiles: an Accept header naming CSV or TSV gets the tab-separated download', async () => {
    const res = await api().get(`/db/${SEQDEF}/schemes/1/profiles`).set('Accept', 'text/csv').buffer(true);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    const lines = res.text.trimEnd().split('\n');
    assert.equal(lines.length, 19243);
    assert.equal(lines[0], ['ST', ...LOCI, 'clonal_complex'].join('\t'));
    const json = await api().get(`/db/${SEQDEF}/schemes/1/profiles`).set('Accept', 'application/json');
    assert.equal(json.body.records, 19242);
    assert.equal(json.body.last_updated, today());
  });

  test('return_all over every profile: an answer larger than a NATS message arrives whole', async () => {
    const res = await api().get(`/db/${SEQDEF}/schemes/1/profiles?return_all=1`);
    assert.equal(res.status, 200);
    assert.equal(res.body.profiles.length, 19242);
    assert.equal(
      res.body.profiles[19241],
      `${stack.baseUrl}/db/${SEQDEF}/schemes/1/profiles/${res.body.profiles[19241].split('/').pop()}`,
    );
    assert.equal(res.body.paging, undefined);
  });

  test('classification schemes: list, record, groups, a group, and the group in a profile record', async () => {
    assert.deepEqual((await api().get(`/db/${SEQDEF}/classification_schemes`)).body, {
      records: 1,
      classification_schemes: [`${stack.baseUrl}/db/${SEQDEF}/classification_schemes/1`],
    });
    assert.deepEqual((await api().get(`/db/${SEQDEF}/classification_schemes/1`)).body, {
      id: 1,
      scheme: `${stack.baseUrl}/db/${SEQDEF}/schemes/1`,
      name: 'MLST_SLV',
      description: 'single-locus variants',
      inclusion_threshold: 1,
      relative_threshold: false,
      groups: `${stack.baseUrl}/db/${SEQDEF}/classification_schemes/1/groups`,
    });
    const groups = await api().get(`/db/${SEQDEF}/classification_schemes/1/groups`);
    assert.ok(groups.body.records > 1000);
    assert.equal(groups.body.groups.length, 100);
    const profile = await api().get(`/db/${SEQDEF}/schemes/1/profiles/11`);
    const membership = profile.body.classification_schemes.MLST_SLV;
    const group = await api().get(links([membership.group.profiles])[0] + '?return_all=1');
    assert.equal(group.body.records, membership.group.records);
    assert.ok(links(group.body.profiles).includes(`/db/${SEQDEF}/schemes/1/profiles/11`));
    const scheme = await api().get(`/db/${SEQDEF}/schemes/1`);
    assert.deepEqual(scheme.body.classification_schemes, [
      { href: `${stack.baseUrl}/db/${SEQDEF}/classification_schemes/1`, name: 'MLST_SLV' },
    ]);
    assert.equal((await api().get(`/db/${ISOLATES}/classification_schemes/1`)).body.groups, undefined);
    assert.equal(
      (await api().get(`/db/${SEQDEF}/classification_schemes/x`)).body.message,
      'Classification scheme id must be an integer.',
    );
    assert.equal((await api().get(`/db/${SEQDEF}/classification_schemes/7`)).status, 404);
  });

  test('users and curators, linked to accounts by e-mail; e-mail shown for curators only', async () => {
    const curator = (await stack.cli('typing-db', [
      'add-user',
      '--database',
      ISOLATES,
      '--first-name',
      'Ada',
      '--surname',
      'Curator',
      '--affiliation',
      'Helixgate',
      '--email',
      'ada@example.org',
      '--status',
      'curator',
    ])) as { id: number; account: string };
    assert.deepEqual([curator.id, curator.account], [1, 'ada@example.org']);
    await stack.cli('typing-db', [
      'add-user',
      '--database',
      ISOLATES,
      '--first-name',
      'Bo',
      '--surname',
      'Sender',
      '--affiliation',
      'Lab',
      '--email',
      'bo@example.org',
    ]);
    assert.deepEqual((await api().get(`/db/${ISOLATES}/curators`)).body, {
      records: 1,
      curators: [`${stack.baseUrl}/db/${ISOLATES}/users/1`],
    });
    assert.deepEqual((await api().get(`/db/${ISOLATES}/users/1`)).body, {
      id: 1,
      first_name: 'Ada',
      surname: 'Curator',
      affiliation: 'Helixgate',
      email: 'ada@example.org',
    });
    assert.deepEqual((await api().get(`/db/${ISOLATES}/users/2`)).body, {
      id: 2,
      first_name: 'Bo',
      surname: 'Sender',
      affiliation: 'Lab',
    });
    assert.deepEqual(((r) => [r.status, r.body.message])(await api().get(`/db/${ISOLATES}/users/abc`)), [
      400,
      'User id must be an integer.',
    ]);
    assert.deepEqual(((r) => [r.status, r.body.message])(await api().get(`/db/${ISOLATES}/users/99`)), [
      404,
      'User 99 does not exist.',
    ]);
  });

  test('errors: wrong database type, bad and unknown isolate ids', async () => {
    const expect = async (path: string, status: number, message: string) => {
      const res = await api().get(path);
      assert.deepEqual([res.status, res.body.message], [status, message], path);
    };
    await expect(`/db/${SEQDEF}/isolates`, 400, 'This is not an isolates database.');
    await expect(`/db/${ISOLATES}/loci/abcZ/alleles`, 400, 'This is not a sequence definition database.');
    await expect(`/db/${ISOLATES}/isolates/abc`, 400, 'Isolate id must be an integer');
    await expect(`/db/${ISOLATES}/isolates/999`, 404, 'Isolate 999 does not exist.');
    await expect(`/db/${ISOLATES}/isolates/999/allele_ids`, 404, 'Isolate 999 does not exist.');
    await expect(`/db/${ISOLATES}/isolates/1/schemes/8/allele_ids`, 404, 'Scheme 8 does not exist.');
    await expect(`/db/nope_isolates/isolates`, 404, 'Database nope_isolates has not been defined');
    assert.deepEqual((await api().get(`/db/${ISOLATES}/isolates/999/history`)).body, { records: 0, updates: [] });
  });

  test('a changed isolates file is an update with history; a new version hides the old record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isolates-'));
    const changed = join(dir, 'changed.tsv');
    const original = readFileSync(join(SEED, 'isolates.tsv'), 'utf8');
    writeFileSync(
      changed,
      original.replace('MC58\tNeisseria meningitidis\tB\tUK\t', 'MC58\tNeisseria meningitidis\tB\tUnited Kingdom\t'),
    );
    const update = (await isolatesImport(changed)) as { isolates: Record<string, number> };
    assert.deepEqual(update.isolates, { seen: 6, inserted: 0, updated: 1 });
    const history = await api().get(`/db/${ISOLATES}/isolates/6/history`);
    assert.equal(history.body.records, 1);
    assert.deepEqual(history.body.updates[0].actions, ["country: 'UK' -> 'United Kingdom'"]);
    assert.match(history.body.updates[0].timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    assert.equal(
      (await api().get(`/db/${ISOLATES}/isolates/6`)).body.history,
      `${stack.baseUrl}/db/${ISOLATES}/isolates/6/history`,
    );

    const versioned = join(dir, 'versioned.tsv');
    writeFileSync(
      versioned,
      'isolate\tspecies\tcountry\tnew_version_of\tabcZ\nMC58 (resequenced)\tNeisseria meningitidis\tUnited Kingdom\t6\t4\n',
    );
    await isolatesImport(versioned);
    const list = await api().get(`/db/${ISOLATES}/isolates`);
    assert.deepEqual(
      links(list.body.isolates).map((l) => Number(l.split('/').pop())),
      [1, 2, 3, 4, 5, 7],
    );
    assert.equal((await api().get(`/db/${ISOLATES}/isolates?include_old_versions=1`)).body.records, 7);
    assert.equal(
      (await api().get(`/db/${ISOLATES}/isolates/6`)).body.new_version,
      `${stack.baseUrl}/db/${ISOLATES}/isolates/7`,
    );
    assert.equal(
      (await api().get(`/db/${ISOLATES}/isolates/7`)).body.old_version,
      `${stack.baseUrl}/db/${ISOLATES}/isolates/6`,
    );
  });
});
