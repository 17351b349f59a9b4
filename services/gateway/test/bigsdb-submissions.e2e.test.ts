import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { readPubmlstScheme, repoRoot, type Stack, startStack } from '@helixgate/testing';
import OAuth from 'oauth-1.0a';
import request from 'supertest';

/**
 * BIGSdb curator submissions through the gateway, on the real neisseria scheme and the seed isolates, every call
 * signed with OAuth 1.0a session tokens by the `oauth-1.0a` library: the four kinds of submission, their messages and
 * files, curation into typing-db, and the refusals, each with BIGSdb's status and words.
 */
const SEQDEF = 'pubmlst_neisseria_seqdef';
const ISOLATES = 'pubmlst_neisseria_isolates';
const SHARED = join(repoRoot(), '..', 'shared', 'data');
const SCHEME_DIR = join(SHARED, 'pubmlst', 'neisseria');
const SEED = join(repoRoot(), 'deploy', 'local', 'seed', ISOLATES);
const PASSWORD = 'a perfectly long password';
const ID = /^BIGSdb_\d{14}_\d+_\d{5}$/;
const run = promisify(execFile);
/** The stack's quota (BIGSDB_SUBMISSIONS_DAILY_LIMIT), small to keep the quota test quick. */
const DAILY_LIMIT = 10;

type Token = { key: string; secret: string };
interface Client {
  consumerKey: string;
  consumerSecret: string;
}

/** Single-base variants of an allele that the scheme does not have yet, each the allele's length. */
function novelVariants(alleles: Array<{ id: string; sequence: string }>, count: number): string[] {
  const known = new Set(alleles.map((a) => a.sequence));
  const base = alleles.find((a) => a.id === '2')!.sequence;
  const found: string[] = [];
  for (let position = 40; found.length < count; position += 37) {
    const swapped = base[position] === 'A' ? 'C' : 'A';
    const variant = base.slice(0, position) + swapped + base.slice(position + 1);
    if (!known.has(variant)) found.push(variant);
  }
  return found;
}

describe('BIGSdb submissions: create, correspond, curate into typing-db, delete (OAuth 1.0a)', () => {
  let stack: Stack;
  let client: Client;
  const sessions: Record<string, Token> = {};
  const api = () => request(stack.baseUrl);
  const abcZ = readPubmlstScheme(SCHEME_DIR).find((l) => l.name === 'abcZ')!.alleles;
  const [novel1, novel2, novel3, ...moreNovel] = novelVariants(abcZ, 10);
  const allele2 = abcZ.find((a) => a.id === '2')!.sequence;

  const oauth = (c: Client) =>
    new OAuth({
      consumer: { key: c.consumerKey, secret: c.consumerSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });

  /** A request signed as BIGSdb expects: the URL without query, the query parameters; a JSON body is not signed. */
  const signed = (method: 'GET' | 'POST' | 'DELETE', path: string, who: string, body?: unknown, c: Client = client) => {
    const [pathOnly, queryString] = path.split('?');
    const query = Object.fromEntries(new URLSearchParams(queryString ?? ''));
    const signer = oauth(c);
    const header = signer.toHeader(
      signer.authorize({ url: `${stack.baseUrl}${pathOnly}`, method, data: query }, sessions[who]),
    ).Authorization;
    const req = method === 'GET' ? api().get(path) : method === 'POST' ? api().post(path) : api().delete(path);
    req.set('Authorization', header);
    return body === undefined
      ? req
      : req.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : (body as object));
  };
  const get = (path: string, who = 'sub') => signed('GET', path, who);
  const post = (path: string, body: unknown, who = 'sub') => signed('POST', path, who, body);
  const del = (path: string, who = 'sub') => signed('DELETE', path, who);

  const bigsdbError = (res: request.Response, status: number, message: string | RegExp) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.status, status);
    assert.match(res.body.title, new RegExp(`^Error ${status} - `));
    if (typeof message === 'string') assert.equal(res.body.message, message);
    else assert.match(res.body.message, message);
    assert.doesNotMatch(res.text, /\bat \w+ \(|node_modules/);
  };
  const pathOf = (uri: string) => uri.slice(stack.baseUrl.length);
  /** A download, its body as bytes. */
  const bytes = (path: string) =>
    get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  const session = async (email: string): Promise<Token> => {
    const signer = oauth(client);
    const step = async (path: string, token?: Token, data: Record<string, string> = {}) => {
      const header = signer.toHeader(
        signer.authorize({ url: `${stack.baseUrl}${path}`, method: 'GET', data }, token),
      ).Authorization;
      const query = Object.entries(data).filter(([k]) => !k.startsWith('oauth_'));
      const res = await api()
        .get(query.length ? `${path}?${new URLSearchParams(query).toString()}` : path)
        .set('Authorization', header);
      assert.equal(res.status, 200, res.text);
      return res.body as Record<string, string>;
    };
    const rt = await step(`/db/${SEQDEF}/oauth/get_request_token`, undefined, { oauth_callback: 'oob' });
    const verifier = await api()
      .post('/auth/oauth/verifier')
      .auth(email, PASSWORD)
      .send({ database: SEQDEF, oauth_token: rt.oauth_token });
    assert.equal(verifier.status, 200, verifier.text);
    const at = await step(
      `/db/${SEQDEF}/oauth/get_access_token`,
      { key: rt.oauth_token, secret: rt.oauth_token_secret },
      { oauth_verifier: verifier.body.oauth_verifier },
    );
    const st = await step(`/db/${SEQDEF}/oauth/get_session_token`, {
      key: at.oauth_token,
      secret: at.oauth_token_secret,
    });
    return { key: st.oauth_token, secret: st.oauth_token_secret };
  };

  const alleleSubmission = (sequences: string, extra: Record<string, unknown> = {}) => ({
    type: 'alleles',
    locus: 'abcZ',
    technology: 'Illumina',
    read_length: '100-199',
    coverage: '>100x',
    assembly: 'de novo',
    software: 'SPAdes',
    sequences,
    ...extra,
  });
  let alleles: string; // the allele submission's path
  let profiles: string;
  let isolates: string;
  let genomes: string;

  before(async () => {
    stack = await startStack(['auth', 'typing-db', 'submissions'], {
      submissions: { BIGSDB_SUBMISSIONS_DAILY_LIMIT: String(DAILY_LIMIT) },
      // Racing accepts take turns allocating ids on the test server, slower than a production one: no 503 for the wait.
      gateway: { RPC_TIMEOUT_MS: '60000' },
    });
    await stack.cli('typing-db', ['import-scheme', '--database', SEQDEF, '--dir', SCHEME_DIR, '--group', 'neisseria']);
    await stack.cli('typing-db', [
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
      join(SEED, 'isolates.tsv'),
      '--contigs-dir',
      join(SHARED, 'genomes'),
    ]);
    for (const [who, role] of [
      ['sub', 'user'],
      ['other', 'user'],
      ['curator', 'user'],
      ['flood', 'user'],
      ['fresh', 'user'],
    ]) {
      await stack.cli('auth', [
        'create-account',
        '--email',
        `${who}@example.org`,
        '--first-name',
        who,
        '--surname',
        'Tester',
        '--role',
        role,
        '--password',
        PASSWORD,
      ]);
    }
    await stack.cli('typing-db', [
      'add-user',
      '--database',
      SEQDEF,
      '--first-name',
      'Cora',
      '--surname',
      'Curator',
      '--affiliation',
      'PubMLST',
      '--email',
      'curator@example.org',
      '--status',
      'curator',
    ]);
    client = (await stack.cli('auth', [
      'create-client',
      '--name',
      'Test client',
      '--submission-database',
      SEQDEF,
      '--submission-database',
      ISOLATES,
    ])) as Client;
    for (const who of ['sub', 'other', 'curator', 'flood', 'fresh'])
      sessions[who] = await session(`${who}@example.org`);
  });
  after(async () => {
    await stack?.close();
  });

  test('unsigned, forged and unpermitted calls are refused in BIGSdb words', async () => {
    bigsdbError(await api().get(`/db/${SEQDEF}/submissions`), 401, 'Unauthorized - Generate new session token.');
    bigsdbError(
      await signed('GET', `/db/${SEQDEF}/submissions`, 'sub', undefined, { ...client, consumerSecret: 'forged' }),
      401,
      'Signature verification failed.',
    );
    const readOnly = (await stack.cli('auth', ['create-client', '--name', 'Reader', '--database', SEQDEF])) as Client;
    bigsdbError(
      await signed('GET', `/db/${SEQDEF}/submissions`, 'sub', undefined, readOnly),
      401,
      /Invalid session token|Client is unauthorized to make submissions\./,
    );
    bigsdbError(await get('/db/no_such_db/submissions'), 401, 'Client is unauthorized to access this database.');
  });

  test('allele submission: created with a BIGSdb id, its record shows every sequence pending', async () => {
    const res = await post(
      `/db/${SEQDEF}/submissions`,
      alleleSubmission(`>novel_1\n${novel1}\n>novel_2 second\n${novel2.slice(0, 200)}\n${novel2.slice(200)}\n`, {
        message: 'Two new abcZ alleles',
      }),
    );
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body), ['submission']);
    alleles = pathOf(res.body.submission);
    const id = alleles.split('/').pop()!;
    assert.match(id, ID);
    const record = await get(alleles);
    assert.equal(record.status, 200, record.text);
    assert.equal(record.body.id, id);
    assert.equal(record.body.type, 'alleles');
    assert.equal(record.body.status, 'pending');
    assert.equal(record.body.outcome, undefined);
    assert.match(record.body.date_submitted, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(record.body.submitter, new RegExp(`/db/${SEQDEF}/users/\\d+$`));
    assert.deepEqual(
      [
        record.body.locus,
        record.body.technology,
        record.body.read_length,
        record.body.coverage,
        record.body.assembly,
        record.body.software,
      ],
      ['abcZ', 'Illumina', '100-199', '>100x', 'de novo', 'SPAdes'],
    );
    assert.deepEqual(record.body.seqs, [
      { seq_id: 'novel_1', sequence: novel1, status: 'pending' },
      { seq_id: 'novel_2', sequence: novel2, status: 'pending' },
    ]);
    assert.equal(record.body.correspondence.length, 1);
    assert.equal(
      record.body.correspondence[0].message,
      'Submission via REST interface (client: Test client).\nTwo new abcZ alleles',
    );
    assert.match(record.body.correspondence[0].timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\+00$/);
    // the submitter is now a user of the database, readable on the public route
    const user = await api().get(pathOf(record.body.submitter));
    assert.equal(user.body.first_name, 'sub');
  });

  test('allele submissions are checked field by field, then sequence by sequence', async () => {
    const url = `/db/${SEQDEF}/submissions`;
    bigsdbError(await post(url, { locus: 'abcZ' }), 400, 'Submission type not selected');
    bigsdbError(
      await post(url, { type: 'isolates' }),
      404,
      'Submissions of type "isolates" are not supported by this database',
    );
    bigsdbError(
      await post(url, { type: 'alleles', locus: 'abcZ', technology: 'Sanger', sequences: novel3 }),
      400,
      'Required field(s) missing: assembly, software',
    );
    bigsdbError(
      await post(url, alleleSubmission(novel3, { technology: 'Nanopore' })),
      400,
      /^Invalid value for technology: Nanopore\. Allowed values are: 454, Illumina, Ion Torrent/,
    );
    bigsdbError(
      await post(url, alleleSubmission(novel3, { read_length: undefined })),
      400,
      'read_length must be provided for Illumina sequences.',
    );
    bigsdbError(
      await post(url, alleleSubmission(novel3, { coverage: 'lots' })),
      400,
      'Invalid value for coverage: lots. Allowed values are: <20x, 20-49x, 50-99x, >100x or any positive integer.',
    );
    assert.equal(
      (
        await post(
          url,
          alleleSubmission(novel3, { technology: 'Sanger', read_length: undefined, coverage: '75', message: 'ok' }),
        )
      ).status,
      201,
    );
    bigsdbError(
      await post(url, alleleSubmission(novel3, { assembly: 'guessed' })),
      400,
      'Invalid value for assembly: guessed. Allowed values are: de novo, mapped.',
    );
    bigsdbError(await post(url, alleleSubmission(novel3, { locus: 'nope' })), 400, 'Invalid value for locus: nope');
    bigsdbError(
      await post(url, alleleSubmission(novel3, { sequences: ['not', 'text'] })),
      400,
      'Invalid value for sequences.',
    );
    bigsdbError(
      await post(url, alleleSubmission(`>a\nACGTNNXX\n>a\n${novel3}\n>b\n`)),
      400,
      'Sequence "a" is not a valid unambiguous DNA sequence. Sequence identifier "a" is used more than once in submission. Sequence identifier "b" does not have a valid sequence.',
    );
    bigsdbError(
      await post(url, alleleSubmission(`>known\n${allele2.toLowerCase()}`)),
      400,
      'Sequence "known" has already been defined as abcZ-2.',
    );
    bigsdbError(await post(url, '{"type": "alleles", '), 400, /JSON|Malformed/);
    bigsdbError(await post(url, '[1, 2]'), 400, /JSON object|Malformed/);
  });

  test('a body over 32 MB is a 413, not a crash', async () => {
    const res = await post(`/db/${SEQDEF}/submissions`, alleleSubmission('A'.repeat(33 * 1024 ** 2)));
    assert.equal(res.status, 413, res.text.slice(0, 300));
    assert.equal(res.body.status, 413);
  });

  test('profile submission: the scheme, its loci and undefined alleles or known profiles are checked', async () => {
    const url = `/db/${SEQDEF}/submissions`;
    const header = 'id\tabcZ\tadk\taroE\tfumC\tgdh\tpdhC\tpgm';
    bigsdbError(await post(url, { type: 'profiles', profiles: header }), 400, 'Required field(s) missing: scheme_id');
    bigsdbError(
      await post(url, { type: 'profiles', scheme_id: 'one', profiles: header }),
      400,
      'Scheme id must be an integer',
    );
    bigsdbError(
      await post(url, { type: 'profiles', scheme_id: 9, profiles: header }),
      400,
      'Scheme does not exist (or it does not contain a primary key field).',
    );
    bigsdbError(
      await post(url, { type: 'profiles', scheme_id: 1, profiles: 'id\tabcZ\tadk\nP1\t1\t1' }),
      400,
      'The header is missing a column for loci: aroE, fumC, gdh, pdhC, pgm.',
    );
    bigsdbError(
      await post(url, {
        type: 'profiles',
        scheme_id: 1,
        profiles: `${header}\nP1\t2\t3\t4\t3\t8\t4\t6\nP2\t1\t1\t1\t1\t1\t1\t999999\nP2\t1\t1\t1\t1\t1\tN\t`,
      }),
      400,
      'P2: Identifier exists more than once in submission. P2: Arbitrary values (N) are not allowed for locus pdhC. P2: No value for locus pgm. P1: Profile has already been defined as ST-11. P2: pgm:999999 has not been defined.',
    );
    // A combination of defined alleles that no sequence type has (the profiles file is the reference).
    const known = new Set(
      readFileSync(join(SCHEME_DIR, 'neisseria.txt'), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t').slice(1, 8).join('\t')),
    );
    const fresh = ['1', '1', '1', '1', '1', '1', '1'];
    for (let pgm = 1; known.has(fresh.join('\t')); pgm += 1) fresh[6] = String(pgm);
    const res = await post(url, {
      type: 'profiles',
      scheme_id: 1,
      profiles: `${header}\nnew_1\t${fresh.join('\t')}\n`,
    });
    assert.equal(res.status, 201, res.text);
    profiles = pathOf(res.body.submission);
    const record = await get(profiles);
    assert.equal(record.body.scheme, `${stack.baseUrl}/db/${SEQDEF}/schemes/1`);
    assert.deepEqual(record.body.profiles, [
      {
        profile_id: 'new_1',
        status: 'pending',
        designations: Object.fromEntries(
          ['abcZ', 'adk', 'aroE', 'fumC', 'gdh', 'pdhC', 'pgm'].map((l, i) => [l, fresh[i]]),
        ),
      },
    ]);
  });

  test('isolate and genome submissions are checked against the database fields and loci', async () => {
    const url = `/db/${ISOLATES}/submissions`;
    bigsdbError(
      await post(url, { type: 'alleles' }),
      404,
      'Submissions of type "alleles" are not supported by this database',
    );
    bigsdbError(await post(url, { type: 'isolates' }), 400, 'Required field(s) missing: isolates');
    bigsdbError(
      await post(url, { type: 'isolates', isolates: 'isolate\thost\nX\thuman' }),
      400,
      'The header contains an unrecognized column for: host. The header is missing a column for: species.',
    );
    bigsdbError(
      await post(url, {
        type: 'isolates',
        isolates:
          'isolate\tspecies\tyear\tabcZ\nM1\tNeisseria meningitidis\tlast year\t2\n\tNeisseria meningitidis\t2001\tx',
      }),
      400,
      'M1 has problems - year must be an integer Row 2 is missing required fields: isolate Row 2 has problems - locus abcZ: must be an integer',
    );
    const res = await post(url, {
      type: 'isolates',
      isolates:
        'isolate\tspecies\tcountry\tyear\tabcZ\nM1\tNeisseria meningitidis\tUK\t2024\t2\nM2\tNeisseria lactamica\t\t2025\t\n',
    });
    assert.equal(res.status, 201, res.text);
    isolates = pathOf(res.body.submission);
    const record = await get(isolates);
    assert.deepEqual(record.body.isolates, [
      { isolate: 'M1', species: 'Neisseria meningitidis', country: 'UK', year: '2024', abcZ: '2' },
      { isolate: 'M2', species: 'Neisseria lactamica', year: '2025' },
    ]);

    bigsdbError(
      await post(url, { type: 'genomes', isolates: 'isolate\tspecies\nG1\tNeisseria meningitidis' }),
      400,
      'The header is missing a column for: assembly_filename, sequence_method.',
    );
    bigsdbError(
      await post(url, {
        type: 'genomes',
        isolates:
          'isolate\tspecies\tassembly_filename\tsequence_method\nG1\tNeisseria meningitidis\t../../etc/passwd\tIllumina',
      }),
      400,
      'G1 has problems - assembly_filename: Filename contains invalid characters.',
    );
    const genome = await post(url, {
      type: 'genomes',
      isolates:
        'isolate\tspecies\tassembly_filename\tsequence_method\nG1\tNeisseria meningitidis\tG1.fasta\tIllumina\nG2\tNeisseria meningitidis\tG2.fasta\tPacBio',
    });
    assert.equal(genome.status, 201, genome.text);
    assert.equal(genome.body.missing_files, 'G1.fasta, G2.fasta');
    assert.equal(genome.body.message, 'Please upload missing contig files to complete submission.');
    genomes = pathOf(genome.body.submission);
    const contigs = readFileSync(join(SHARED, 'genomes', 'neisseria_W.fna'));
    const upload = await post(`${genomes}/files`, { filename: 'G1.fasta', upload: contigs.toString('base64') });
    assert.equal(upload.status, 201, upload.text);
    const after = await get(genomes);
    assert.deepEqual(
      [after.body.missing_files, after.body.message],
      [['G2.fasta'], 'Please upload missing contig files to complete submission.'],
    );
    const download = await bytes(`${genomes}/files/G1.fasta`);
    assert.equal(download.status, 200);
    assert.equal(download.headers['content-type'], 'application/octet-stream');
    assert.ok((download.body as Buffer).equals(contigs), 'the genome comes back byte for byte');
  });

  test('isolate and profile submissions past the size and row limits are 400s, not a NATS message too large', async () => {
    const url = `/db/${ISOLATES}/submissions`;
    const wide = Array.from({ length: 1100 }, (_, i) => `${String(i).padStart(4, '0')}${'h'.repeat(996)}`).join('\t');
    bigsdbError(
      await post(url, { type: 'isolates', isolates: `${wide}\nX` }, 'other'),
      400,
      'The header has too many or too long columns (at most 5000 columns, 65536 bytes in all).',
    );
    const longRow = Array.from({ length: 11 }, () => 'v'.repeat(100_000)).join('\t');
    bigsdbError(
      await post(
        url,
        { type: 'isolates', isolates: `isolate\tspecies\nM1\tNeisseria meningitidis\n${longRow}` },
        'other',
      ),
      400,
      'Row 2 has problems - the row is longer than 65536 bytes',
    );
    bigsdbError(
      await post(
        url,
        { type: 'genomes', isolates: `isolate\tspecies\tassembly_filename\tsequence_method\n${longRow}` },
        'other',
      ),
      400,
      'Row 1 has problems - the row is longer than 65536 bytes',
    );
    const many = `isolate\tspecies\n${'Q\tNeisseria meningitidis\n'.repeat(20_001)}`;
    bigsdbError(
      await post(url, { type: 'isolates', isolates: many }, 'other'),
      400,
      'A submission may hold at most 20000 isolates.',
    );
    const header = 'id\tabcZ\tadk\taroE\tfumC\tgdh\tpdhC\tpgm';
    const profiles = `${header}\n${Array.from({ length: 20_001 }, (_, i) => `p${i}\t1\t1\t1\t1\t1\t1\t1`).join('\n')}`;
    bigsdbError(
      await post(`/db/${SEQDEF}/submissions`, { type: 'profiles', scheme_id: 1, profiles }, 'other'),
      400,
      'A submission may hold at most 20000 profiles.',
    );
    // Just within the limits: a wide header of real columns and many rows still go through typing-db's checks.
    const fine = await post(
      url,
      { type: 'isolates', isolates: `isolate\tspecies\n${'Q\tNeisseria meningitidis\n'.repeat(5000)}` },
      'other',
    );
    assert.equal(fine.status, 201, fine.text);
    assert.equal((await get(pathOf(fine.body.submission), 'other')).body.isolates.length, 5000);
  });

  test('an upload cut off part-way (an incomplete record left behind) does not keep its file name', async () => {
    const id = genomes.split('/').pop()!;
    await stack.database('submissions', async (db) => {
      await db.collection('bigsdb_submission_files').insertOne({
        _id: 'stale-upload' as never,
        submissionId: id,
        filename: 'G2.fasta',
        size: 0,
        complete: false,
        uploadedAt: new Date(0),
      });
      await db.collection('bigsdb_submission_file_chunks').insertOne({
        _id: 'stale-upload|0' as never,
        fileId: 'stale-upload',
        n: 0,
        data: Buffer.from('half a genome'),
      });
    });
    assert.deepEqual(
      (await get(`${genomes}/files`)).body.map(pathOf),
      [`${genomes}/files/G1.fasta`],
      'the incomplete file is not listed',
    );
    const upload = await post(`${genomes}/files`, {
      filename: 'G2.fasta',
      upload: Buffer.from('>c1\nACGT\n').toString('base64'),
    });
    assert.equal(upload.status, 201, upload.text);
    assert.equal((await bytes(`${genomes}/files/G2.fasta`)).body.toString(), '>c1\nACGT\n');
    assert.equal((await get(genomes)).body.missing_files, undefined, 'every assembly file is there');
    bigsdbError(
      await post(`${genomes}/files`, { filename: 'G2.fasta', upload: 'QQ==' }),
      400,
      'File G2.fasta is already uploaded.',
    );
    const leftovers = await stack.database('submissions', (db) =>
      db.collection('bigsdb_submission_file_chunks').countDocuments({ fileId: 'stale-upload' }),
    );
    assert.equal(leftovers, 0, 'the stale chunks went with their record');
  });

  test('listing: your own submissions, filtered by type and status, with BIGSdb paging', async () => {
    const all = await get(`/db/${SEQDEF}/submissions`);
    assert.equal(all.status, 200, all.text);
    assert.equal(all.body.records, 3); // two allele submissions and one of profiles
    assert.equal(all.headers['x-total-pages'], '1');
    const byType = await get(`/db/${SEQDEF}/submissions?type=profiles`);
    assert.deepEqual(byType.body.submissions.map(pathOf), [profiles]);
    const paged = await get(`/db/${SEQDEF}/submissions?type=alleles&status=pending&page_size=1`);
    assert.equal(paged.body.records, 2);
    assert.equal(paged.body.submissions.length, 1);
    assert.equal(
      paged.body.paging.next,
      `${stack.baseUrl}/db/${SEQDEF}/submissions?page=2&page_size=1&status=pending&type=alleles`,
    );
    assert.equal((await get(`/db/${SEQDEF}/submissions?status=closed`)).body.records, 0);
    bigsdbError(
      await get(`/db/${SEQDEF}/submissions?status=open`),
      400,
      'Invalid status value - use either "pending" or "closed".',
    );
    bigsdbError(
      await get(`/db/${SEQDEF}/submissions?type=genomes`),
      404,
      'Submissions of type "genomes" are not supported by this database',
    );
    assert.equal((await get(`/db/${SEQDEF}/submissions`, 'other')).body.records, 0);
  });

  test('messages: added by the submitter and read back in order', async () => {
    const added = await post(`${alleles}/messages`, { message: 'Sanger traces available on request.' });
    assert.equal(added.status, 201, added.text);
    assert.deepEqual(added.body, { message: 'Message added.' });
    bigsdbError(await post(`${alleles}/messages`, {}), 400, 'No message included.');
    bigsdbError(await post(`${alleles}/messages`, { message: { html: true } }), 400, 'Invalid value for message.');
    const messages = await get(`${alleles}/messages`);
    assert.equal(messages.status, 200);
    assert.deepEqual(
      messages.body.map((m: { message: string }) => m.message),
      [
        'Submission via REST interface (client: Test client).\nTwo new abcZ alleles',
        'Sanger traces available on request.',
      ],
    );
    assert.match(messages.body[1].timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00$/);
    assert.match(messages.body[1].user, new RegExp(`/db/${SEQDEF}/users/\\d+$`));
  });

  test('files: uploaded as base64, listed, downloaded, deleted; hostile names and bad data are 400s', async () => {
    const files = `${alleles}/files`;
    const uploaded = await post(files, {
      filename: 'trace notes.txt',
      upload: Buffer.from('peak at 212\n').toString('base64'),
    });
    assert.equal(uploaded.status, 201, uploaded.text);
    assert.deepEqual(uploaded.body, { message: 'File uploaded.' });
    bigsdbError(
      await post(files, { filename: 'trace notes.txt', upload: 'QQ==' }),
      400,
      'File trace notes.txt is already uploaded.',
    );
    for (const hostile of [
      '../../etc/passwd',
      'a/b.txt',
      'a\\b.txt',
      '..',
      '.hidden',
      'bell\u0007.txt',
      'line\nbreak.txt',
    ]) {
      bigsdbError(
        await post(files, { filename: hostile, upload: 'QQ==' }),
        400,
        'Filename contains invalid characters.',
      );
    }
    // A NUL is refused at the edge, before the body's JSON is parsed (issue 14).
    bigsdbError(
      await post(files, { filename: 'nul\u0000.txt', upload: 'QQ==' }),
      400,
      'The JSON holds a NUL character (U+0000), which is not accepted.',
    );
    bigsdbError(
      await post(files, { filename: `${'x'.repeat(300)}.txt`, upload: 'QQ==' }),
      400,
      'Filename is too long (at most 255 bytes).',
    );
    bigsdbError(await post(files, { upload: 'QQ==' }), 400, 'Filename is required.');
    bigsdbError(await post(files, { filename: 'empty.txt', upload: '' }), 400, 'No data in upload.');
    bigsdbError(await post(files, { filename: 'bad.txt', upload: 'not base64!' }), 400, 'Upload is not valid base64.');
    const list = await get(files);
    assert.deepEqual(list.body, [`${stack.baseUrl}${files}/trace%20notes.txt`]);
    const file = await bytes(`${files}/trace%20notes.txt`);
    assert.equal(file.status, 200);
    assert.equal((file.body as Buffer).toString(), 'peak at 212\n');
    bigsdbError(await get(`${files}/nothing.txt`), 404, 'File does not exist.');
    bigsdbError(await get(`${files}/..%2F..%2Fetc%2Fpasswd`), 404, 'File does not exist.');
    bigsdbError(await del(`${files}/trace%20notes.txt`, 'other'), 403, 'You are not the owner of this submission.');
    const deleted = await del(`${files}/trace%20notes.txt`);
    assert.deepEqual([deleted.status, deleted.body], [200, { message: 'File deleted.' }]);
    assert.deepEqual((await get(files)).body, []);
  });

  test('nobody but the submitter and curators reads a submission; unknown ones do not exist', async () => {
    for (const path of [alleles, `${alleles}/messages`, `${alleles}/files`])
      bigsdbError(await get(path, 'other'), 403, 'You are not the owner of this submission.');
    bigsdbError(
      await post(`${alleles}/messages`, { message: 'hi' }, 'other'),
      403,
      'You are not the owner of this submission.',
    );
    bigsdbError(await del(alleles, 'other'), 403, 'You are not the owner of this submission.');
    bigsdbError(
      await get(`/db/${SEQDEF}/submissions/BIGSdb_20150101000000_1_00001`),
      404,
      'Submission does not exist.',
    );
    bigsdbError(await get(`/db/${SEQDEF}/submissions/${'x'.repeat(300)}`), 404, 'Submission does not exist.');
    bigsdbError(await get(alleles.replace(SEQDEF, ISOLATES)), 404, 'Submission does not exist.');
    assert.equal((await get(alleles, 'curator')).status, 200, 'a curator reads it');
  });

  test('curation: one allele accepted (idempotently), one rejected: outcome mixed, the allele is in typing-db', async () => {
    bigsdbError(await del(alleles), 403, 'You cannot delete a pending submission.');
    bigsdbError(
      await post(`${alleles}/seqs/novel_1/accept`, {}, 'sub'),
      403,
      'Only curators of this database may accept or reject submitted records.',
    );
    bigsdbError(
      await post(`${alleles}/seqs/nothing/accept`, {}, 'curator'),
      404,
      'Sequence nothing is not part of this submission.',
    );
    bigsdbError(await post(`${alleles}/seqs/novel_1/approve`, {}, 'curator'), 404, 'Not found');
    const accepted = await post(`${alleles}/seqs/novel_1/accept`, {}, 'curator');
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.status, 'assigned');
    const alleleId = accepted.body.assigned_id as string;
    assert.ok(Number(alleleId) > Math.max(...abcZ.map((a) => Number(a.id))), `new id ${alleleId}`);
    assert.deepEqual(accepted.body.submission.status, 'pending');
    const again = await post(`${alleles}/seqs/novel_1/accept`, {}, 'curator');
    assert.deepEqual(
      [again.body.status, again.body.assigned_id],
      ['assigned', alleleId],
      'a retry assigns the same id',
    );
    bigsdbError(
      await post(`${alleles}/seqs/novel_1/reject`, {}, 'curator'),
      409,
      `Sequence novel_1 has already been assigned id ${alleleId}.`,
    );
    const rejected = await post(`${alleles}/seqs/novel_2/reject`, {}, 'curator');
    assert.equal(rejected.status, 200, rejected.text);
    assert.deepEqual(rejected.body, {
      seq_id: 'novel_2',
      status: 'rejected',
      submission: { id: alleles.split('/').pop(), status: 'closed', outcome: 'mixed' },
    });

    const record = await get(alleles);
    assert.deepEqual([record.body.status, record.body.outcome], ['closed', 'mixed']);
    assert.match(record.body.curator, new RegExp(`/db/${SEQDEF}/users/\\d+$`));
    assert.deepEqual(
      record.body.seqs.map((s: Record<string, string>) => [s.seq_id, s.status, s.assigned_id]),
      [
        ['novel_1', 'assigned', alleleId],
        ['novel_2', 'rejected', undefined],
      ],
    );
    assert.equal((await get(`/db/${SEQDEF}/submissions?status=closed`)).body.records, 1);

    const allele = await api().get(`/db/${SEQDEF}/loci/abcZ/alleles/${alleleId}`);
    assert.equal(allele.status, 200, allele.text);
    assert.equal(allele.body.sequence, novel1);
    const query = await api()
      .post(`/db/${SEQDEF}/loci/abcZ/sequence`)
      .send({ sequence: `TTTT${novel1}GGGG` });
    assert.deepEqual(
      query.body.exact_matches.map((m: { allele_id: string }) => m.allele_id),
      [alleleId],
    );
    // The same sequence submitted again is now known by its new id.
    bigsdbError(
      await post(`/db/${SEQDEF}/submissions`, alleleSubmission(`>again\n${novel1}`)),
      400,
      `Sequence "again" has already been defined as abcZ-${alleleId}.`,
    );
  });

  test('curation of a profile assigns the next sequence type, readable on the public route', async () => {
    const accepted = await post(`${profiles}/profiles/new_1/accept`, {}, 'curator');
    assert.equal(accepted.status, 200, accepted.text);
    assert.deepEqual([accepted.body.status, accepted.body.submission.outcome], ['assigned', 'good']);
    const st = accepted.body.assigned_id as string;
    const profile = await api().get(`/db/${SEQDEF}/schemes/1/profiles/${st}`);
    assert.equal(profile.status, 200, profile.text);
    assert.equal(profile.body.ST, Number(st));
    assert.equal((await post(`${profiles}/profiles/new_1/accept`, {}, 'curator')).body.assigned_id, st);
    bigsdbError(
      await post(`${alleles}/profiles/novel_1/accept`, {}, 'curator'),
      400,
      'This is not a submission of profiles.',
    );
    bigsdbError(
      await post(`${isolates}/profiles/new_1/accept`, {}, 'curator'),
      403,
      'You are not the owner of this submission.',
    );
  });

  test('accept racing reject on the same sequences: never an allele in typing-db for a rejected sequence', async () => {
    const race = moreNovel.slice(0, 6);
    const created = await post(
      `/db/${SEQDEF}/submissions`,
      alleleSubmission(race.map((seq, i) => `>race_${i}\n${seq}`).join('\n')),
    );
    assert.equal(created.status, 201, created.text);
    const path = pathOf(created.body.submission);
    const outcomes = await Promise.all(
      race.map((_, i) =>
        Promise.all([
          post(`${path}/seqs/race_${i}/accept`, {}, 'curator'),
          post(`${path}/seqs/race_${i}/reject`, {}, 'curator'),
        ]),
      ),
    );
    const record = await get(path);
    for (const [i, [accepted, rejected]] of outcomes.entries()) {
      const statuses = [accepted.status, rejected.status].sort();
      assert.deepEqual(
        statuses,
        [200, 409],
        `race_${i}: one decision wins, the other is a conflict (${accepted.text} / ${rejected.text})`,
      );
      const seq = record.body.seqs[i];
      const query = await api().post(`/db/${SEQDEF}/loci/abcZ/sequence`).send({ sequence: race[i] });
      const inTypingDb = ((query.body.exact_matches ?? []) as Array<{ allele_id: string }>).map((m) => m.allele_id);
      if (seq.status === 'rejected') {
        assert.equal(rejected.status, 200);
        assert.deepEqual(inTypingDb, [], `race_${i} was rejected, yet typing-db has it`);
      } else {
        assert.equal(seq.status, 'assigned', `race_${i}`);
        assert.equal(accepted.body.assigned_id, seq.assigned_id);
        assert.deepEqual(inTypingDb, [seq.assigned_id]);
        assert.match(rejected.body.message, /^Sequence race_\d has already been (assigned id \d+|accepted)\.$/);
      }
    }
    assert.equal(record.body.status, 'closed');
  });

  test('parallel first calls of a new account register one user in the database, found by an index', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => get(`/db/${SEQDEF}/submissions`, 'fresh')));
    assert.deepEqual([...new Set(answers.map((r) => r.status))], [200]);
    const { users, indexes } = await stack.database('typing-db', async (db) => ({
      users: await db.collection('users').find({ database: SEQDEF, account: 'fresh@example.org' }).toArray(),
      indexes: (await db.collection('users').indexes()).map((i) => i.key),
    }));
    assert.equal(users.length, 1, `one user row, not ${users.length}`);
    assert.ok(
      indexes.some((key) => JSON.stringify(key) === JSON.stringify({ database: 1, account: 1, id: 1 })),
      JSON.stringify(indexes),
    );
  });

  test('delete: only the owner, only once closed; everything of it goes', async () => {
    const deleted = await del(alleles);
    assert.deepEqual([deleted.status, deleted.body], [200, { message: 'Submission deleted.' }]);
    bigsdbError(await get(alleles), 404, 'Submission does not exist.');
    bigsdbError(await get(`${alleles}/messages`), 404, 'Submission does not exist.');
    bigsdbError(await del(alleles), 404, 'Submission does not exist.');
  });

  test("the README's curl commands work as written", async () => {
    const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### BIGSdb submissions'));
    const script = section
      .slice(section.indexOf('```sh\n') + 6, section.indexOf('\n```', section.indexOf('```sh\n')))
      .replace('http://127.0.0.1:3000', stack.baseUrl)
      .replace(/^curl -s /gm, "curl -s -w '\\n' "); // one answer a line
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      // Debian's python3, where python3-oauthlib is installed (deploy/local/system-packages.sh), first on PATH.
      env: {
        ...process.env,
        PATH: `/usr/bin:${process.env.PATH}`,
        KEY: client.consumerKey,
        SECRET: client.consumerSecret,
        TOKEN: sessions.sub.key,
        TOKEN_SECRET: sessions.sub.secret,
      },
    });
    const lines = stdout.trim().split('\n').filter(Boolean);
    assert.match(
      lines[0],
      new RegExp(`^\\{"submission":"${stack.baseUrl}/db/${SEQDEF}/submissions/BIGSdb_\\d{14}_\\d+_\\d{5}"\\}$`),
    );
    const record = JSON.parse(lines[1]);
    assert.deepEqual(
      [record.type, record.status, record.seqs[0].seq_id, record.seqs[0].status],
      ['alleles', 'pending', 'new_1', 'pending'],
    );
    assert.deepEqual(
      lines.slice(2, 4).map((l) => JSON.parse(l)),
      [{ message: 'Message added.' }, { message: 'File uploaded.' }],
    );
    assert.deepEqual(JSON.parse(lines[4]), [`${stack.baseUrl}/db/${SEQDEF}/submissions/${record.id}/files/new_1.ab1`]);
    assert.equal(lines[5], 'trace');
    assert.equal(JSON.parse(lines[6])[1].message, 'Trace files attached.');
  });

  test("quota: past the daily limit of pending submissions to a database, 429 with BIGSdb's message", async () => {
    const body = { type: 'isolates', isolates: 'isolate\tspecies\nQ\tNeisseria meningitidis' };
    for (let i = 0; i < DAILY_LIMIT; i += 1) {
      const res = await post(`/db/${ISOLATES}/submissions`, body, 'flood');
      assert.equal(res.status, 201, `submission ${i + 1}: ${res.text}`);
    }
    bigsdbError(
      await post(`/db/${ISOLATES}/submissions`, body, 'flood'),
      429,
      'You have made too many separate submissions today - please try again tomorrow. A quota is in place to prevent misbehaving scripts flooding the submission system.',
    );
    assert.equal((await post(`/db/${ISOLATES}/submissions`, body, 'other')).status, 201, 'the quota is per user');
    assert.equal((await get(`/db/${ISOLATES}/submissions?return_all=1`, 'flood')).body.submissions.length, DAILY_LIMIT);
    const elsewhere = await post(`/db/${SEQDEF}/submissions`, alleleSubmission(`>mine\n${moreNovel[6]}`), 'flood');
    assert.equal(elsewhere.status, 201, `the quota is per database: ${elsewhere.text}`);
  });
});
