import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { INLINE_PAYLOAD_LIMIT_BYTES, ResultsSubjects } from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { assertRefusedBySchema, serviceClient, type ServiceStack, startServices } from '@helixgate/testing';

/** results-import alone on real NATS and MongoDB, its subjects called as the gateway calls them (no gateway). */
describe('results-import service over NATS', () => {
  let stack: ServiceStack;
  let transfers: TransferStore;
  let rpc: RpcClient;
  /** A posted body, parked in the transfer bucket as the gateway parks a large one. */
  const parked = async (body: string) => ({
    ref: await transfers.put(Readable.from([body]), 16 * 1024 ** 2, 'too large'),
  });
  const mapping = (samples: Record<string, Record<string, number>>) => JSON.stringify({ type: 'mapping', samples });

  before(async () => {
    stack = await startServices(['results-import']);
    ({ rpc, transfers } = await serviceClient(stack, { RpcClient, TransferStore }));
  });
  after(async () => {
    await stack?.close();
  });

  test('create stores a document once under its id, inline or parked; get gives its canonical JSON inline', async () => {
    const body = mapping({ sample_1: { NZ_CP015088_1: 0.68, NC_019983_1: 1 } });
    const created = await rpc.request(ResultsSubjects.create, { body: { text: body } });
    assert.equal(created.stored, true);
    assert.ok(Date.parse(created.expiresAt) > Date.parse(created.createdAt));
    const again = await rpc.request(ResultsSubjects.create, { body: await parked(body) });
    assert.deepEqual(again, { ...created, stored: false });

    const got = await rpc.request(ResultsSubjects.get, { id: created.id });
    assert.deepEqual(got, {
      id: created.id,
      type: 'mapping',
      createdAt: created.createdAt,
      expiresAt: created.expiresAt,
      document: { inline: '{"samples":{"sample_1":{"NC_019983_1":1,"NZ_CP015088_1":0.68}},"type":"mapping"}' },
    });
  });

  test('documents posted at the same moment are stored together: each distinct one once, a repeat not again', async () => {
    const distinct = Array.from({ length: 20 }, (_, i) => mapping({ [`together_${i}`]: { NZ_CP015088_1: 0.5 } }));
    const same = mapping({ together_same: { NZ_CP015088_1: 0.25 } });
    const replies = await Promise.all(
      [...distinct, ...Array<string>(10).fill(same)].map((text) =>
        rpc.request(ResultsSubjects.create, { body: { text } }),
      ),
    );
    assert.equal(new Set(replies.slice(0, 20).map((r) => r.id)).size, 20);
    assert.ok(replies.slice(0, 20).every((r) => r.stored));
    const repeats = replies.slice(20);
    assert.equal(new Set(repeats.map((r) => r.id)).size, 1, 'the same document gets one id');
    assert.equal(repeats.filter((r) => r.stored).length, 1, 'and is stored once');
    for (const reply of replies) assert.equal((await rpc.request(ResultsSubjects.get, { id: reply.id })).id, reply.id);
  });

  test('a document larger than a message comes back through the transfer store', async () => {
    const hits = Object.fromEntries(
      Array.from({ length: 12_000 }, (_, i) => [`NZ_CP${String(i).padStart(6, '0')}_1`, 0.5]),
    );
    const body = mapping({ large: hits });
    assert.ok(Buffer.byteLength(body) > INLINE_PAYLOAD_LIMIT_BYTES);
    const { id } = await rpc.request(ResultsSubjects.create, { body: await parked(body) });
    const { document } = await rpc.request(ResultsSubjects.get, { id });
    assert.ok('object' in document, 'a large document is not inline');
    const stored = (await transfers.read(document.object, 16 * 1024 ** 2)).toString('utf8');
    assert.deepEqual(JSON.parse(stored), JSON.parse(body));
  });

  test("a body pATLAS refuses is a 400 envelope with pATLAS's words", async () => {
    await assert.rejects(rpc.request(ResultsSubjects.create, { body: { text: '{"samples": {}}' } }), {
      status: 400,
      code: 'results.invalid_document',
      message: "No 'type' field was provided in the JSON object.",
    });
  });

  test('an unknown id is a 404 envelope', async () => {
    await assert.rejects(rpc.request(ResultsSubjects.get, { id: '12345' }), {
      status: 404,
      code: 'not_found',
      message: /^No results are stored under 12345/,
    });
  });

  test('a request outside its schema is a 400 envelope from the service', async () => {
    await assertRefusedBySchema(rpc, ResultsSubjects.get, { id: 'not-a-number' }, [['id']]);
  });
});
