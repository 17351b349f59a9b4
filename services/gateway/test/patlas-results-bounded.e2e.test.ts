import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type Stack, startStack } from '@helixgate/testing';

const MB = 1024 * 1024;
const SAMPLES = 200_000;

/** The gateway's resident memory now and at its peak, in bytes, from /proc/<pid>/status. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

describe('pATLAS results: what a page costs is bounded whatever the document (real processes)', () => {
  let stack: Stack;
  let link: string;
  const document = {
    type: 'mapping',
    samples: Object.fromEntries(
      Array.from({ length: SAMPLES }, (_, i) => [`s${String(i).padStart(6, '0')}`, { NZ_CP015088_1: 0.5 }]),
    ),
  };

  before(async () => {
    stack = await startStack(['results-import']);
    const body = JSON.stringify(document);
    assert.ok(
      body.length > 5 * MB && body.length < 10 * MB,
      'the hostile document: 200,000 one-row samples, under the limit',
    );
    const res = await fetch(`${stack.baseUrl}/results/`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 200);
    link = await res.text();
  });
  after(async () => {
    await stack?.close();
  });

  test('the page of 200,000 samples is small and says which samples were left out', async () => {
    const res = await fetch(link, { headers: { accept: 'text/html' } });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(Buffer.byteLength(html) < 2 * MB, `the page is ${Buffer.byteLength(html)} bytes`);
    assert.match(
      html,
      /The first 100 of 200000 samples are shown; 199900 samples are left out\. Download the JSON for all\./,
    );
    assert.match(html, /<h2>s000000<\/h2>/);
    assert.match(html, /<h2>s000099<\/h2>/);
    assert.doesNotMatch(html, /<h2>s000100<\/h2>/);
  });

  test('three concurrent GETs keep the gateway under 400 MB, and the JSON download is still complete', async (t) => {
    const pid = stack.process('gateway').child.pid!;
    const before = memory(pid);
    const pages = await Promise.all(
      [1, 2, 3].map(() => fetch(link, { headers: { accept: 'text/html' } }).then((r) => r.text())),
    );
    const afterPages = memory(pid);
    t.diagnostic(`gateway RSS ${(before.rss / MB).toFixed(0)} MB before, peak ${(afterPages.peak / MB).toFixed(0)} MB`);
    for (const html of pages) assert.ok(Buffer.byteLength(html) < 2 * MB);
    assert.ok(
      afterPages.peak < 400 * MB,
      `gateway peak RSS ${(afterPages.peak / MB).toFixed(0)} MB (before ${(before.rss / MB).toFixed(0)} MB)`,
    );

    const downloads = await Promise.all(
      [1, 2, 3].map(() => fetch(`${link}&format=json`).then(async (r) => [r, await r.text()] as const)),
    );
    for (const [res, text] of downloads) {
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^application\/json; charset=utf-8/);
      assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(text));
      const json = JSON.parse(text) as {
        id: string;
        type: string;
        samples: Record<string, unknown>;
        createdAt: string;
        expiresAt: string;
      };
      assert.deepEqual(Object.keys(json), ['id', 'type', 'samples', 'createdAt', 'expiresAt']);
      assert.equal(json.type, 'mapping');
      assert.equal(Object.keys(json.samples).length, SAMPLES);
      assert.deepEqual(json.samples, document.samples);
    }
    const afterDownloads = memory(pid);
    t.diagnostic(`gateway peak RSS ${(afterDownloads.peak / MB).toFixed(0)} MB after the downloads`);
    assert.ok(
      afterDownloads.peak < 400 * MB,
      `gateway peak RSS ${(afterDownloads.peak / MB).toFixed(0)} MB after downloads`,
    );
  });
});
