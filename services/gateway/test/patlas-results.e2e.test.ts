import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';
import { connect, type NatsConnection } from 'nats';
import request from 'supertest';

const run = promisify(execFile);
const SPEC = join(repoRoot(), '..', 'shared', 'specs', 'patlas-results-import.md');
const SPEC_URL = 'http://www.patlas.site/results/';

/** The spec's python snippet, exactly as published, with only its URL pointed at the stack. */
function specSnippet(baseUrl: string): string {
  const snippet = /```python\n([\s\S]*?)```/.exec(readFileSync(SPEC, 'utf8'))?.[1];
  assert.ok(snippet?.includes(SPEC_URL), 'the spec still holds its python example');
  return snippet!.replace(SPEC_URL, `${baseUrl}/results/`);
}

const LINK = /^http:\/\/127\.0\.0\.1:\d+\/results\?query=(\d{1,20})$/;

describe('pATLAS results import through the gateway (real processes, NATS and database)', () => {
  let stack: Stack;
  let nats: NatsConnection;
  const api = () => request(stack.baseUrl);
  const transferBucket = () => nats.jetstream().views.os(stack.env.TRANSFER_BUCKET);

  before(async () => {
    stack = await startStack(['results-import']);
    nats = await connect({ servers: stack.env.NATS_URL });
  });
  after(async () => {
    await nats?.drain();
    await stack?.close();
  });

  test("the spec's python snippet gets a link, and the same link again", async () => {
    const script = `${specSnippet(stack.baseUrl)}\nimport sys\nsys.stdout.write(f"{r.status_code} {r.text}")\n`;
    const first = await run('/usr/bin/python3', ['-c', script]);
    const second = await run('/usr/bin/python3', ['-c', script]);
    const [status, link] = first.stdout.split(' ');
    assert.equal(status, '200');
    assert.match(link, LINK);
    assert.equal(second.stdout, first.stdout);
  });

  test('curl with a form Content-Type (curl -d) is read as JSON too', async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-X',
      'POST',
      `${stack.baseUrl}/results/`,
      '-d',
      '{"type": "mash_screen", "samples": {"s1": {"NZ_CP019138_1": ["0.996397", "1"]}}}',
    ]);
    assert.match(stdout, LINK);
  });

  test('POST /results without the slash, and the same document in another key order, give one link', async () => {
    const a = await api()
      .post('/results')
      .send({
        type: 'assembly',
        samples: { s: { NC_019102_1: [0.9012016, 0.967, 'contig1'], NC_1_1: [0.8, 0.5, 'c2'] } },
      });
    const b = await api()
      .post('/results/')
      .send({
        samples: { s: { NC_1_1: [0.8, 0.5, 'c2'], NC_019102_1: [0.9012016, 0.967, 'contig1'] } },
        type: 'assembly',
      });
    assert.equal(a.status, 200);
    assert.match(a.headers['content-type'], /^text\/html/);
    assert.equal(a.text, b.text);
  });

  test('GET the link as JSON: type, samples, created and expiry, a day apart', async () => {
    const samples = { sample_1: { NZ_CP015088_1: 0.6800298214104171, NZ_CP029222_1: 1 } };
    const link = (await api().post('/results/').send({ type: 'mapping', samples })).text;
    const id = LINK.exec(link)![1];
    for (const query of [`/results?query=${id}&format=json`, `/results/?query=${id}`]) {
      const res = await api().get(query).set('Accept', 'application/json');
      assert.equal(res.status, 200, query);
      assert.equal(res.body.id, id);
      assert.equal(res.body.type, 'mapping');
      assert.deepEqual(res.body.samples, samples);
      assert.equal(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt), 86_400_000);
    }
  });

  test('GET the link in a browser (Accept: */*): the HTML page', async () => {
    const link = (
      await api()
        .post('/results/')
        .send({ type: 'mapping', samples: { s1: { NZ_CP015088_1: 0.68 } } })
    ).text;
    const res = await api()
      .get(new URL(link).pathname + new URL(link).search)
      .set('Accept', '*/*');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.match(res.text, /NZ_CP015088_1/);
    assert.match(res.text, /Download JSON/);
  });

  test('unknown, malformed and missing queries', async () => {
    const missing = await api().get('/results?query=123').set('Accept', 'application/json');
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /No results are stored under 123/);
    const page = await api().get('/results?query=123');
    assert.equal(page.status, 404);
    assert.match(page.text, /pATLAS results not found/);
    const operatorText = await api().get('/results').query({ query: '{"$gt":""}' }).set('Accept', 'application/json');
    assert.equal(operatorText.status, 404);
    const operatorKey = await api().get('/results?query[$gt]=&query[$ne]=1').set('Accept', 'application/json');
    assert.ok([400, 404].includes(operatorKey.status), `no document for an operator query (got ${operatorKey.status})`);
    assert.equal(operatorKey.body.samples, undefined);
    const twice = await api().get('/results?query=1&query=2').set('Accept', 'application/json');
    assert.equal(twice.status, 404);
    const noQuery = await api().get('/results');
    assert.equal(noQuery.status, 400);
    assert.match(noQuery.text, /No 'query' parameter/);
  });

  const badBodies: Array<[string, string | undefined, string]> = [
    [
      'an empty body',
      '',
      'ERROR: attempted to hash something that is not a JSON. POST request must have a JSON format suitable for pATLAS.',
    ],
    [
      'malformed JSON',
      '{"type": "mapping", ',
      'ERROR: attempted to hash something that is not a JSON. POST request must have a JSON format suitable for pATLAS.',
    ],
    ['no type', '{"samples": {}}', "No 'type' field was provided in the JSON object."],
    ['no samples', '{"type": "mapping"}', "No 'samples' field was provided in the JSON object."],
    ['a numeric type', '{"type": 1, "samples": {}}', "The value provided through 'type' entry must be a string"],
    [
      'samples as a list',
      '{"type": "mapping", "samples": []}',
      "The value provided through 'sample' entry must be a dictionary / JSON object.",
    ],
    [
      'an unknown type',
      '{"type": "consensus", "samples": {}}',
      "'consensus' is not a valid type. Valid types are mapping or mash_screen or assembly.",
    ],
  ];
  for (const [name, body, message] of badBodies) {
    test(`bad body, ${name}: pATLAS's plain-text 400`, async () => {
      const res = await api().post('/results/').set('Content-Type', 'application/json').send(body);
      assert.equal(res.status, 400);
      assert.match(res.headers['content-type'], /^text\/plain/);
      assert.equal(res.text, message);
    });
  }

  test('a wrong sample value names the sample and the accession', async () => {
    const res = await api()
      .post('/results/')
      .send({ type: 'mapping', samples: { good: { A_1: 0.5 }, 'bad sample': { NZ_X_1: 'high' } } });
    assert.equal(res.status, 400);
    assert.match(res.text, /^Sample 'bad sample', accession 'NZ_X_1': a mapping value must be a number from 0 to 1/);
  });

  test('a body over the limit is a 413, announced or streamed, and the service keeps serving', async () => {
    const huge = JSON.stringify({ type: 'mapping', samples: { s: { A_1: 0.5 } }, pad: 'x'.repeat(11 * 1024 * 1024) });
    const file = join(mkdtempSync(join(tmpdir(), 'hg-')), 'huge.json');
    writeFileSync(file, huge);
    for (const framing of [
      ['-H', 'Content-Type: application/json'],
      ['-H', 'Transfer-Encoding: chunked'],
    ]) {
      const { stdout } = await run('curl', [
        '-s',
        '-w',
        '\n%{http_code}',
        '-X',
        'POST',
        ...framing,
        '--data-binary',
        `@${file}`,
        `${stack.baseUrl}/results/`,
      ]);
      const [text, status] = stdout.split('\n');
      assert.equal(status, '413', framing.join(' '));
      assert.match(text, /larger than the \d+ bytes/);
    }
    const ok = await api()
      .post('/results/')
      .send({ type: 'mapping', samples: { s: { A_1: 0.5 } } });
    assert.equal(ok.status, 200);
  });

  test('a large document (2 MB, beyond one NATS message) round-trips', async () => {
    const sample = Object.fromEntries(
      Array.from({ length: 60_000 }, (_, i) => [`NZ_CP${String(i).padStart(6, '0')}_1`, (i % 1000) / 1000]),
    );
    const link = await api()
      .post('/results/')
      .send({ type: 'mapping', samples: { big: sample } });
    assert.equal(link.status, 200, link.text);
    const id = LINK.exec(link.text)![1];
    const res = await api().get(`/results?query=${id}&format=json`);
    assert.equal(res.status, 200);
    assert.equal(Object.keys(res.body.samples.big).length, 60_000);
  });

  test('a hostile Host header never reaches the link', async () => {
    const res = await api()
      .post('/results/')
      .set('Host', 'x"><svg/onload=alert(1)>')
      .send({ type: 'mapping', samples: { s: { H_1: 0.5 } } });
    assert.equal(res.status, 200);
    assert.match(res.text, LINK);
  });

  test('every response carries the pATLAS CORS headers and a request id', async () => {
    const res = await api().options('/results/').set('Origin', 'https://example.org');
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['access-control-allow-headers'], 'Content-Type,Authorization');
    assert.equal(res.headers['access-control-allow-methods'], 'GET,PUT,POST,DELETE,OPTIONS');
    const post = await api()
      .post('/results/')
      .set('X-Request-Id', 'trace-me-42')
      .send({ type: 'mapping', samples: { s: { T_1: 0.25 } } });
    assert.equal(post.headers['x-request-id'], 'trace-me-42');
    assert.equal(post.headers['access-control-allow-origin'], '*');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const serviceLines = stack
      .process('results-import')
      .output()
      .split('\n')
      .filter((line) => line.includes('"requestId":"trace-me-42"'));
    assert.ok(serviceLines.length > 0, 'the request id reaches the service logs over NATS');
    for (const line of serviceLines) assert.equal(JSON.parse(line).service, 'results-import');
  });

  test('unknown routes answer in the owning family format, never a stack trace', async () => {
    const res = await api().get('/db/nothing/here');
    assert.equal(res.status, 404);
    assert.equal(res.body.status, 404);
    assert.equal(res.body.title, 'Error 404 - Not Found');
    assert.doesNotMatch(res.text, /at .*\.js:\d+/);
  });

  test('OpenAPI document and UI at /docs', async () => {
    const doc = await api().get('/docs/openapi.json');
    assert.equal(doc.status, 200);
    assert.ok(doc.body.paths['/results']);
    const ui = await api().get('/docs');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
  });

  test('killing and restarting results-import loses nothing', async () => {
    const link = (
      await api()
        .post('/results/')
        .send({ type: 'mapping', samples: { durable: { D_1: 0.77 } } })
    ).text;
    const id = LINK.exec(link)![1];
    await stack.restart('results-import'); // SIGKILL, then a new process
    const res = await api().get(`/results?query=${id}&format=json`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.samples, { durable: { D_1: 0.77 } });
  });

  test('with results-import down the gateway answers 503 in plain text, leaves no upload behind, then recovers', async () => {
    await stack.stop('results-import', 'SIGKILL');
    const bucket = await transferBucket();
    const live = async () => (await bucket.list()).filter((info) => !info.deleted).length;
    const before = await live();
    for (let i = 0; i < 3; i += 1) {
      const down = await api()
        .post('/results/')
        .send({ type: 'mapping', samples: { s: { A_1: 0.5 } }, pad: 'p'.repeat(300_000) });
      assert.equal(down.status, 503);
      assert.match(down.headers['content-type'], /^text\/plain/);
      assert.match(down.text, /results-import service is not available/);
    }
    assert.equal(await live(), before, 'refused uploads are removed from the transfer bucket');
    await stack.restart('results-import');
    const up = await api()
      .post('/results/')
      .send({ type: 'mapping', samples: { s: { A_1: 0.5 } } });
    assert.equal(up.status, 200);
  });

  test('SIGTERM stops results-import cleanly', async () => {
    const code = await stack.stop('results-import', 'SIGTERM');
    assert.equal(code, 0);
    assert.match(stack.process('results-import').output(), /results-import stopped/);
    await stack.restart('results-import');
  });
});
