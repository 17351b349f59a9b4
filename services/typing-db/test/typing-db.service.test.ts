import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INLINE_PAYLOAD_LIMIT_BYTES, type PageRequest, TypingSubjects } from '@helixgate/contracts';
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

/**
 * typing-db alone on real NATS and MongoDB, with the real S. epidermidis scheme imported by its command line, its
 * subjects called as the gateway calls them (no gateway).
 */
describe('typing-db service over NATS (S. epidermidis scheme)', () => {
  let stack: ServiceStack;
  let rpc: RpcClient;
  const scheme = readPubmlstScheme(DATA);
  const page = (path: string, query: PageRequest['query'] = []): PageRequest => ({ path, query });

  before(async () => {
    stack = await startServices(['typing-db']);
    await importPubmlstScheme(stack, 'sepidermidis', DB);
    ({ rpc } = await serviceClient(stack, { RpcClient, TransferStore }));
  });
  after(async () => {
    await stack?.close();
  });

  test('resources, loci and alleles as the scheme files have them, links on the base URI', async () => {
    const [group] = await rpc.request(TypingSubjects.listResources, { baseUri: BASE_URI });
    assert.deepEqual(group.databases, [{ name: DB, description: DB, href: `${BASE_URI}/db/${DB}` }]);

    const loci = await rpc.request(TypingSubjects.listLoci, {
      baseUri: BASE_URI,
      database: DB,
      page: page(`/db/${DB}/loci`),
    });
    assert.deepEqual(
      loci.body.loci,
      scheme.map((locus) => `${BASE_URI}/db/${DB}/loci/${locus.name}`),
    );
    assert.deepEqual(loci.headers, { perPage: 100, offset: 0, totalPages: 1 });

    for (const locus of scheme) {
      const alleles = await rpc.request(TypingSubjects.listAlleles, {
        baseUri: BASE_URI,
        database: DB,
        locus: locus.name,
        page: page(`/db/${DB}/loci/${locus.name}/alleles`, [['return_all', '1']]),
      });
      assert.equal(alleles.body.records, locus.alleles.length, locus.name);
    }
    const arcC16 = scheme[0].alleles.find((allele) => allele.id === '16')!;
    const allele = await rpc.request(TypingSubjects.getAllele, {
      baseUri: BASE_URI,
      database: DB,
      locus: 'arcC',
      alleleId: '16',
    });
    assert.deepEqual([allele.allele_id, allele.sequence], ['16', arcC16.sequence]);
  });

  test('a profile as the profiles file gives it', async () => {
    const [header, ...rows] = readFileSync(join(DATA, 'sepidermidis.txt'), 'utf8').trimEnd().split('\n');
    const loci = header.split('\t').slice(1, 1 + scheme.length);
    const st184 = rows.map((row) => row.split('\t')).find(([st]) => st === '184')!;
    const profile = await rpc.request(TypingSubjects.getProfile, {
      baseUri: BASE_URI,
      database: DB,
      schemeId: '1',
      profileId: '184',
      alleleIdsOnly: true,
    });
    assert.equal(profile.ST, 184);
    assert.deepEqual(
      profile.alleles,
      loci.map((locus, i) => ({ locus, allele_id: st184[1 + i] })),
    );
  });

  test('a sequence query finds the allele a sequence is', async () => {
    const arcC16 = scheme[0].alleles.find((allele) => allele.id === '16')!;
    const answer = await rpc.request(TypingSubjects.querySequence, {
      baseUri: BASE_URI,
      database: DB,
      target: { kind: 'locus', locus: 'arcC' },
      body: { text: JSON.stringify({ sequence: arcC16.sequence.toLowerCase() }) },
    });
    assert.deepEqual(answer, {
      exact_matches: [{ allele_id: '16', href: `${BASE_URI}/db/${DB}/loci/arcC/alleles/16` }],
    });
  });

  test('every profile at once, larger than a message, comes back through the transfer store', async () => {
    // Links are absolute: behind a long public path, 1,287 of them are far more than a message carries.
    const baseUri = `https://typing.example.org/${'helixgate-behind-a-long-path/'.repeat(12)}api`;
    const all = await rpc.request(TypingSubjects.listProfiles, {
      baseUri,
      database: DB,
      schemeId: '1',
      page: page(`/db/${DB}/schemes/1/profiles`, [['return_all', '1']]),
    });
    assert.ok(Buffer.byteLength(JSON.stringify(all)) > INLINE_PAYLOAD_LIMIT_BYTES);
    assert.equal(all.body.records, 1287);
    assert.equal(all.body.profiles.length, 1287);
    assert.equal(all.body.profiles[0], `${baseUri}/db/${DB}/schemes/1/profiles/1`);
  });

  test("what does not exist is a 404 envelope in BIGSdb's words", async () => {
    await assert.rejects(rpc.request(TypingSubjects.getDatabase, { baseUri: BASE_URI, database: 'nothing_here' }), {
      status: 404,
      code: 'not_found',
      message: 'Database nothing_here has not been defined',
    });
    await assert.rejects(rpc.request(TypingSubjects.getLocus, { baseUri: BASE_URI, database: DB, locus: 'nope' }), {
      status: 404,
      code: 'not_found',
      message: 'Locus nope does not exist.',
    });
    await assert.rejects(
      rpc.request(TypingSubjects.getAllele, { baseUri: BASE_URI, database: DB, locus: 'arcC', alleleId: '99999' }),
      { status: 404, code: 'not_found', message: 'Allele arcC-99999 does not exist.' },
    );
    await assert.rejects(rpc.request(TypingSubjects.getScheme, { baseUri: BASE_URI, database: DB, schemeId: 'one' }), {
      status: 400,
      code: 'bad_request',
      message: 'Scheme id must be an integer.',
    });
  });

  test('a request outside its schema is a 400 envelope from the service', async () => {
    await assertRefusedBySchema(rpc, TypingSubjects.listLoci, { baseUri: 'not a url', database: DB }, [
      ['baseUri'],
      ['page'],
    ]);
  });
});
