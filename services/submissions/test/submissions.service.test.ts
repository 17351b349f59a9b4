import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AaSubjects,
  INLINE_PAYLOAD_LIMIT_BYTES,
  SUBMISSION_MAX_MESSAGE_CHARS,
  type SubmissionCaller,
  SubmissionsSubjects,
} from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import {
  assertRefusedBySchema,
  importPubmlstScheme,
  pubmlstSchemeDir,
  readPubmlstScheme,
  serviceClient,
  type ServiceStack,
  startServices,
} from '@helixgate/testing';

const DB = 'pubmlst_sepidermidis_seqdef';
const DATA = pubmlstSchemeDir('sepidermidis');
const BASE_URI = 'https://typing.example.org';

/** A caller as the gateway's OAuth check vouches for it, new for each test so that tests stand alone. */
const newCaller = (name: string): SubmissionCaller => ({
  accountId: randomBytes(12).toString('hex'),
  email: `${name}@example.org`,
  firstName: name,
  surname: 'Tester',
  affiliation: 'Service tests',
  clientName: 'Service test client',
});

/**
 * submissions on real NATS and MongoDB with what its subjects ask (typing-db, with the real S. epidermidis scheme,
 * for BIGSdb submissions; jobs for analytics_automated's job list), called as the gateway calls them (no gateway).
 */
describe('submissions service over NATS', () => {
  let stack: ServiceStack;
  let rpc: RpcClient;
  const arcC = readPubmlstScheme(DATA).find((locus) => locus.name === 'arcC')!.alleles;
  /** A single-base variant of arcC-1 that the scheme does not have: a new allele of the same length. */
  const novelArcC = (() => {
    const known = new Set(arcC.map((allele) => allele.sequence));
    const base = arcC[0].sequence;
    for (let position = 10; ; position += 1) {
      const variant = `${base.slice(0, position)}${base[position] === 'A' ? 'C' : 'A'}${base.slice(position + 1)}`;
      if (!known.has(variant)) return variant;
    }
  })();
  const alleles = (sequences: string) =>
    JSON.stringify({
      type: 'alleles',
      locus: 'arcC',
      technology: 'Illumina',
      read_length: '100-199',
      coverage: '>100x',
      assembly: 'de novo',
      software: 'SPAdes',
      sequences,
      message: 'A new arcC allele',
    });
  const submit = async (caller: SubmissionCaller, body: string) => {
    const { submission } = await rpc.request(SubmissionsSubjects.create, {
      baseUri: BASE_URI,
      database: DB,
      caller,
      body: { text: body },
    });
    return submission.split('/').pop()!;
  };
  const of = (caller: SubmissionCaller, submissionId: string) => ({
    baseUri: BASE_URI,
    database: DB,
    caller,
    submissionId,
  });

  before(async () => {
    stack = await startServices(['typing-db', 'jobs', 'submissions']);
    await importPubmlstScheme(stack, 'sepidermidis', DB);
    ({ rpc } = await serviceClient(stack, { RpcClient, TransferStore }));
  });
  after(async () => {
    await stack?.close();
  });

  test('an allele submission: created, read back with its sequence and first message, listed', async () => {
    const caller = newCaller('submitter');
    const id = await submit(caller, alleles(`>novel_1\n${novelArcC.toLowerCase()}\n`));
    assert.match(id, /^BIGSdb_\d{14}_\d+_\d{5}$/);

    const record = await rpc.request(SubmissionsSubjects.get, of(caller, id));
    assert.deepEqual(
      [record.id, record.type, record.status, record.locus, record.technology],
      [id, 'alleles', 'pending', 'arcC', 'Illumina'],
    );
    assert.deepEqual(record.seqs, [{ seq_id: 'novel_1', sequence: novelArcC, status: 'pending' }]);
    const messages = await rpc.request(SubmissionsSubjects.listMessages, of(caller, id));
    assert.deepEqual(
      messages.map((m) => m.message),
      ['Submission via REST interface (client: Service test client).\nA new arcC allele'],
    );
    const listed = await rpc.request(SubmissionsSubjects.list, {
      baseUri: BASE_URI,
      database: DB,
      caller,
      page: { path: `/db/${DB}/submissions`, query: [] },
    });
    assert.deepEqual(listed.body, { records: 1, submissions: [`${BASE_URI}/db/${DB}/submissions/${id}`] });
  });

  test("refusals in BIGSdb's words: a known allele, a type the database does not take, someone else's submission", async () => {
    const caller = newCaller('refused');
    const known = arcC.find((allele) => allele.id === '16')!.sequence;
    await assert.rejects(submit(caller, alleles(`>old\n${known}\n`)), {
      status: 400,
      code: 'bad_request',
      message: 'Sequence "old" has already been defined as arcC-16.',
    });
    await assert.rejects(submit(caller, JSON.stringify({ type: 'isolates' })), {
      status: 404,
      code: 'not_found',
      message: 'Submissions of type "isolates" are not supported by this database',
    });
    await assert.rejects(submit(caller, '{"type": "alleles", '), { status: 400, message: 'Malformed request' });

    const id = await submit(caller, alleles(novelArcC));
    await assert.rejects(rpc.request(SubmissionsSubjects.get, of(newCaller('stranger'), id)), {
      status: 403,
      code: 'forbidden',
      message: 'You are not the owner of this submission.',
    });
    await assert.rejects(rpc.request(SubmissionsSubjects.delete, of(caller, id)), {
      status: 403,
      message: 'You cannot delete a pending submission.',
    });
    await assert.rejects(rpc.request(SubmissionsSubjects.get, of(caller, 'BIGSdb_20151013081836_14559_14740')), {
      status: 404,
      code: 'not_found',
      message: 'Submission does not exist.',
    });
  });

  test('correspondence larger than a message comes back through the transfer store', async () => {
    const caller = newCaller('talkative');
    const id = await submit(caller, alleles(novelArcC));
    const long = 'm'.repeat(SUBMISSION_MAX_MESSAGE_CHARS);
    const count = Math.ceil(INLINE_PAYLOAD_LIMIT_BYTES / SUBMISSION_MAX_MESSAGE_CHARS) + 1;
    for (let i = 0; i < count; i += 1) {
      assert.deepEqual(await rpc.request(SubmissionsSubjects.addMessage, { ...of(caller, id), message: long }), {
        message: 'Message added.',
      });
    }
    const messages = await rpc.request(SubmissionsSubjects.listMessages, of(caller, id));
    assert.ok(Buffer.byteLength(JSON.stringify(messages)) > INLINE_PAYLOAD_LIMIT_BYTES);
    assert.equal(messages.length, 1 + count);
    assert.ok(messages.slice(1).every((m) => m.message === long));
  });

  test("analytics_automated: the jobs service's listed jobs, and a 404 for what does not exist", async () => {
    const jobs = await rpc.request(AaSubjects.listJobs, {});
    assert.deepEqual(
      jobs.map((job) => job.pk),
      jobs.map((_, i) => i + 1),
    );
    const names = jobs.map((job) => job.name);
    for (const shipped of ['fasta_stats', 'mlst', 'psipred']) assert.ok(names.includes(shipped), shipped);
    assert.ok(!names.includes('cgi'), 'the CGI job is not an analytics_automated job');
    assert.deepEqual(await rpc.request(AaSubjects.getJob, { name: 'fasta_stats' }), {
      name: 'fasta_stats',
      steps: [{ task: { configuration: [] }, ordering: 1 }],
    });
    await assert.rejects(rpc.request(AaSubjects.getJob, { name: 'nope' }), {
      status: 404,
      code: 'not_found',
      message: 'Not found.',
    });
    await assert.rejects(rpc.request(AaSubjects.getBatch, { uuid: '00000000-0000-4000-8000-000000000000' }), {
      status: 404,
      message: 'Not found.',
    });
  });

  test('a request outside its schema is a 400 envelope from the service', async () => {
    const { clientName: _clientName, ...withoutClient } = newCaller('unchecked');
    await assertRefusedBySchema(
      rpc,
      SubmissionsSubjects.get,
      {
        baseUri: BASE_URI,
        database: DB,
        caller: withoutClient,
        submissionId: 'BIGSdb_20151013081836_14559_14740',
      },
      [['caller', 'clientName']],
    );
  });
});
