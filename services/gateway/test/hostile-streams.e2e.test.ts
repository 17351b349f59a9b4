import assert from 'node:assert/strict';
import { connect as connectTcp, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

/**
 * Hostile request bodies on every streamed path of the gateway, sent byte for byte over raw sockets (a
 * truncated, cut-off or malformed body is what an HTTP client library will not send): multipart forms that end
 * inside a file part, have no or the wrong boundary, NUL bytes or bare LFs or over-long part headers, uploads cut
 * off mid-body, and a parked sequence-query body cut off. Each is answered with a 4xx in its family's format (or,
 * when the client is gone, nothing), and after each the gateway is alive and serves a normal request.
 */
const PASSWORD = 'correct horse battery staple';
/** How long an answer may take before the request counts as hung (a hang guard, not a timing). */
const ANSWER_WITHIN_MS = 10_000;
const BOUNDARY = 'hgBoundary7MA4YWxkTrZu0gW';

interface RawResponse {
  status: number;
  body: string;
  /** Whether the server ended the connection (every request here says Connection: close). */
  closed: boolean;
}

/** A multipart body of text fields and file parts, with its closing boundary. */
function multipart(parts: Array<{ name: string; value: string; filename?: string }>, boundary = BOUNDARY): Buffer {
  const text = parts
    .map(({ name, value, filename }) => {
      const disposition = `Content-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}`;
      const type = filename === undefined ? '' : '\r\nContent-Type: text/plain';
      return `--${boundary}\r\n${disposition}${type}\r\n\r\n${value}\r\n`;
    })
    .join('');
  return Buffer.from(`${text}--${boundary}--\r\n`, 'latin1');
}

describe('hostile request streams: the gateway answers each and stays up', () => {
  let stack: Stack;
  let port: number;
  let auth: string;
  const api = () => request(stack.baseUrl);

  /**
   * Sends a request over a raw socket: its head (with Content-Length, or the given one), then the body, or the
   * body's first `sendBytes` bytes. `then`: 'wait' reads the answer, 'abort' destroys the socket after sending.
   */
  function raw(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer,
    options: { contentLength?: number; sendBytes?: number; then?: 'wait' | 'abort' } = {},
  ): Promise<RawResponse> {
    const head = [
      `${method} ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Connection: close',
      `Content-Length: ${options.contentLength ?? body.length}`,
    ];
    for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
    return new Promise<RawResponse>((resolve, reject) => {
      const socket: Socket = connectTcp(port, '127.0.0.1');
      const received: Buffer[] = [];
      const guard = setTimeout(() => {
        socket.destroy();
        reject(new Error(`${method} ${path}: no answer within ${ANSWER_WITHIN_MS} ms (hung)`));
      }, ANSWER_WITHIN_MS);
      let ended = false;
      socket.on('data', (chunk) => received.push(chunk));
      socket.on('end', () => (ended = true));
      socket.on('error', () => undefined); // a reset after the answer is read below
      socket.on('close', () => {
        clearTimeout(guard);
        const text = Buffer.concat(received).toString('latin1');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        const bodyText = text.slice(text.indexOf('\r\n\r\n') + 4);
        resolve({ status, body: bodyText, closed: ended });
      });
      socket.on('connect', () => {
        socket.write(`${head.join('\r\n')}\r\n\r\n`);
        socket.write(body.subarray(0, options.sendBytes ?? body.length), () => {
          if (options.then === 'abort') setTimeout(() => socket.destroy(), 50);
        });
      });
    });
  }

  /** The gateway process still runs, its /healthz answers, and a normal request is served. */
  async function alive(): Promise<void> {
    const gateway = stack.process('gateway');
    assert.equal(gateway.child.exitCode, null, `the gateway exited:\n${gateway.output().slice(-3000)}`);
    const health = await fetch(`http://127.0.0.1:${gateway.opsPort}/healthz`);
    assert.equal(health.status, 200);
    const res = await api().get('/api/v1').set('Authorization', auth);
    assert.equal(res.status, 200, res.text);
    assert.doesNotMatch(gateway.output(), /Unexpected end of form|Malformed part header|unhandled error|uncaught/i);
  }

  const aaError = (res: RawResponse, status: number, message: RegExp) => {
    assert.equal(res.status, status, res.body);
    const body = JSON.parse(res.body) as { error: string };
    assert.equal(typeof body.error, 'string', res.body);
    assert.match(body.error, message);
  };
  const cgiError = (res: RawResponse, status: number, message: RegExp) => {
    assert.equal(res.status, status, res.body);
    const body = JSON.parse(res.body) as { error_code: number; message: string };
    assert.equal(body.error_code, status, res.body);
    assert.match(body.message, message);
  };
  const aaPost = (body: Buffer, options: Parameters<typeof raw>[4] = {}, boundary = BOUNDARY) =>
    raw(
      'POST',
      '/analytics_automated/submission.json',
      { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
      options,
    );
  const cgiPost = (
    body: Buffer,
    options: Parameters<typeof raw>[4] = {},
    contentType = `multipart/form-data; boundary=${BOUNDARY}`,
  ) => raw('POST', '/api/v1', { 'Content-Type': contentType, Authorization: auth }, body, options);

  /** A body that ends inside its file part: no closing boundary. */
  const truncatedInFile = (field: string) => {
    const whole = multipart([
      { name: 'job', value: 'job1' },
      { name: field, value: 'ACGT'.repeat(20_000), filename: 'input.txt' },
    ]);
    return whole.subarray(0, whole.length - 40_000);
  };

  before(async () => {
    stack = await startStack(['auth', 'jobs', 'submissions', 'typing-db']);
    port = Number(new URL(stack.baseUrl).port);
    const email = 'mallory@example.org';
    await stack.cli('auth', [
      'create-account',
      '--email',
      email,
      '--first-name',
      'Mal',
      '--surname',
      'Lory',
      '--password',
      PASSWORD,
    ]);
    const created = await api().post('/auth/tokens').auth(email, PASSWORD).send({ label: 'hostile' });
    assert.equal(created.status, 201, created.text);
    auth = `${email} ${created.body.token}`;
  });
  after(async () => {
    await stack?.close();
  });

  test('a multipart body that ends inside a file part is a 400 on the A_A and the CGI routes (it used to end the gateway)', async () => {
    aaError(await aaPost(truncatedInFile('input_data')), 400, /ends early|closing boundary/);
    await alive();
    cgiError(await cgiPost(truncatedInFile('mutations')), 400, /ends early|closing boundary/);
    await alive();
    // An ignored file part (a second input_data, drained unread) cut off the same way.
    const whole = multipart([
      { name: 'input_data', value: 'first', filename: 'a.txt' },
      { name: 'input_data', value: 'x'.repeat(50_000), filename: 'b.txt' },
    ]);
    aaError(await aaPost(whole.subarray(0, whole.length - 1000)), 400, /ends early|closing boundary/);
    await alive();
  });

  test('a form without a boundary, or with another boundary than its Content-Type says, is a 400', async () => {
    const body = multipart([{ name: 'job', value: 'job1' }]);
    aaError(
      await raw('POST', '/analytics_automated/submission.json', { 'Content-Type': 'multipart/form-data' }, body),
      400,
      /boundary/,
    );
    cgiError(await cgiPost(body, {}, 'multipart/form-data'), 400, /boundary/);
    aaError(await aaPost(body, {}, 'someOtherBoundary'), 400, /ends early|closing boundary/);
    cgiError(
      await cgiPost(body, {}, 'multipart/form-data; boundary=someOtherBoundary'),
      400,
      /ends early|closing boundary/,
    );
    await alive();
  });

  test('a NUL byte, a bare LF or an over-long part header is answered with a 400 (it used to hang)', async () => {
    const nul = multipart([{ name: 'input_data', value: 'ACGT', filename: 'a\0b' }]);
    const bareLf = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\nContent-Type: text/plain\r\n\r\nvalue\r\n--${BOUNDARY}--\r\n`,
    );
    const longHeader = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${'x'.repeat(20_000)}"\r\n\r\nvalue\r\n--${BOUNDARY}--\r\n`,
    );
    for (const body of [nul, bareLf, longHeader]) {
      aaError(await aaPost(body), 400, /malformed/i);
      cgiError(await cgiPost(body), 400, /malformed/i);
    }
    await alive();
  });

  test('100 concurrent forms with a NUL in a part header are all answered and their connections closed', async () => {
    const nul = multipart([
      { name: 'job', value: 'job1' },
      { name: 'input_data', value: 'ACGT', filename: 'a\0b' },
    ]);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? aaPost(nul) : cgiPost(nul))));
    for (const [i, res] of answers.entries()) {
      assert.equal(res.status, 400, `request ${i}: ${res.body}`);
      assert.ok(res.closed);
    }
    await alive();
  });

  test('a client that goes away mid-upload ends the read; nothing is left behind that stops the gateway', async () => {
    const body = multipart([
      { name: 'job', value: 'job1' },
      { name: 'input_data', value: 'ACGT'.repeat(200_000), filename: 'big.txt' },
    ]);
    const results = await Promise.all([
      aaPost(body, { sendBytes: 300_000, then: 'abort' }),
      cgiPost(body, { sendBytes: 300_000, then: 'abort' }),
      aaPost(body, { sendBytes: 300, then: 'abort' }), // inside the first part's header
    ]);
    for (const res of results)
      assert.ok(res.status === 0 || (res.status >= 400 && res.status < 500), `${res.status} ${res.body}`);
    await sleep(200);
    await alive();
  });

  test('a parked sequence-query body (larger than a NATS message) cut off mid-body, or shorter than it said', async () => {
    const sequence = Buffer.from(JSON.stringify({ sequence: 'ACGT'.repeat(200_000) })); // 800 kB: parked in the store
    const path = '/db/pubmlst_neisseria_seqdef/schemes/1/sequence';
    const json = { 'Content-Type': 'application/json' };
    const aborted = await raw('POST', path, json, sequence, { sendBytes: 500_000, then: 'abort' });
    assert.ok(
      aborted.status === 0 || (aborted.status >= 400 && aborted.status < 500),
      `${aborted.status} ${aborted.body}`,
    );
    await sleep(200);
    await alive();
    // The whole of a short body sent, the connection left open: the server's wait ends with the client's close.
    const inline = await raw('POST', path, json, Buffer.from('{"sequence":"ACGT'), {
      contentLength: 1000,
      then: 'abort',
    });
    assert.ok(inline.status === 0 || inline.status < 500, `${inline.status} ${inline.body}`);
    await sleep(200);
    await alive();
    // A complete request still reaches typing-db (which has no such database here).
    const normal = await api().post(path).set('Content-Type', 'application/json').send(sequence);
    assert.equal(normal.status, 404, normal.text);
    assert.equal(normal.body.status, 404);
  });

  test('bodies cut off on the other streamed routes: a pATLAS results upload, a BIGSdb submission body, an A_A form', async () => {
    const big = Buffer.from(JSON.stringify({ type: 'mapping', samples: { s: { acc: 'x'.repeat(600_000) } } }));
    const cutOff = await Promise.all([
      raw('POST', '/results/', { 'Content-Type': 'application/json' }, big, { sendBytes: 300_000, then: 'abort' }),
      raw(
        'POST',
        '/db/pubmlst_neisseria_seqdef/submissions',
        { 'Content-Type': 'application/json' },
        Buffer.from('{"type":"alleles"}'),
        {
          contentLength: 10_000,
          then: 'abort',
        },
      ),
      raw(
        'POST',
        '/analytics_automated/submission.json',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        Buffer.from('job=job1&'),
        {
          contentLength: 10_000,
          then: 'abort',
        },
      ),
    ]);
    for (const res of cutOff)
      assert.ok(res.status === 0 || (res.status >= 400 && res.status < 500), `${res.status} ${res.body}`);
    await sleep(200);
    await alive(); // and no "unhandled error" (a 500) was logged for a body that broke off
  });

  test('after it all, normal A_A and CGI forms are read and answered by their services', async () => {
    const aa = await aaPost(
      multipart([
        { name: 'job', value: 'no-such-job' },
        { name: 'submission_name', value: 'x' },
        { name: 'email', value: 'a@example.org' },
        { name: 'input_data', value: 'ACGT', filename: 'in.txt' },
      ]),
    );
    assert.ok(aa.status >= 400 && aa.status < 500, `${aa.status} ${aa.body}`);
    assert.ok('error' in JSON.parse(aa.body), aa.body);
    const cgi = await cgiPost(
      multipart([
        { name: 'cancer_type', value: 'CM' },
        { name: 'title', value: 'ok' },
        { name: 'mutations', value: 'sample\tprotein\nS1\tBRAF:p.V600E\n', filename: 'm.tsv' },
      ]),
    );
    assert.equal(cgi.status, 200, cgi.body);
    assert.match(JSON.parse(cgi.body) as string, /^[0-9a-f]{20}$/);
    await alive();
  });
});
