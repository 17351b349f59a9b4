import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstSamples } from '../src/patlas/results-document';
import { PAGE_ROW_LIMIT, renderNotFoundPage, renderResultsPage, SAMPLE_LIMIT } from '../src/patlas/results-page';

const base = { id: '42', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-02T00:00:00.000Z' };

describe('renderResultsPage', () => {
  test('one table row and one bar per accession', () => {
    const html = renderResultsPage({
      ...base,
      type: 'mapping',
      samples: { s1: { NZ_CP015088_1: 0.68, NC_019983_1: 0.61, X_1: '0.9' } },
    });
    assert.equal((html.match(/<tr><td>/g) ?? []).length, 3);
    assert.equal((html.match(/<rect /g) ?? []).length, 3);
    assert.match(html, /href="https:\/\/www\.ncbi\.nlm\.nih\.gov\/nuccore\/NZ_CP015088\.1"/);
    assert.match(html, /download="patlas-results-42\.json"/);
  });

  test('rows start sorted by the charted value, highest first', () => {
    const html = renderResultsPage({
      ...base,
      type: 'mapping',
      samples: { s1: { LOW_1: 0.1, HIGH_1: 0.9, MID_1: 0.5 } },
    });
    assert.ok(html.indexOf('HIGH_1') < html.indexOf('MID_1') && html.indexOf('MID_1') < html.indexOf('LOW_1'));
  });

  test('columns follow the type', () => {
    const html = renderResultsPage({
      ...base,
      type: 'assembly',
      samples: { s1: { NC_019102_1: [0.9012016, 0.967, 'contig1'] } },
    });
    assert.match(html, /Shared hashes/);
    assert.match(html, /<td>contig1<\/td>/);
  });

  test('charts at most 40 bars but lists every row', () => {
    const sample = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`ACC${i}_1`, i / 100]));
    const html = renderResultsPage({ ...base, type: 'mapping', samples: { s1: sample } });
    assert.equal((html.match(/<rect /g) ?? []).length, 40);
    assert.equal((html.match(/<tr><td>/g) ?? []).length, 100);
    assert.match(html, /The 40 highest of 100 accessions/);
  });

  test('lists at most 2000 rows per sample and says so', () => {
    const sample = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`ACC${i}_1`, (i % 100) / 100]));
    const html = renderResultsPage({ ...base, type: 'mapping', samples: { s1: sample } });
    assert.equal((html.match(/<tr><td>/g) ?? []).length, 2000);
    assert.match(html, /The 2000 highest of 2500 rows are listed/);
  });

  test(`shows at most ${SAMPLE_LIMIT} samples and says how many were left out`, () => {
    const samples = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`s${i}`, { A_1: 0.5 }]));
    const html = renderResultsPage({ ...base, type: 'mapping', samples, sampleCount: 200_000 });
    assert.equal((html.match(/<section class="sample"/g) ?? []).length, SAMPLE_LIMIT);
    assert.match(html, /200000 samples ·/);
    assert.match(
      html,
      /The first 100 of 200000 samples are shown; 199900 samples are left out\. Download the JSON for all\./,
    );
  });

  test(`lists at most ${PAGE_ROW_LIMIT} rows in all, then leaves the other samples out`, () => {
    const sample = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`ACC${i}_1`, i / 2500]));
    const samples = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`s${i}`, sample]));
    const html = renderResultsPage({ ...base, type: 'mapping', samples });
    assert.equal((html.match(/<tr><td>/g) ?? []).length, PAGE_ROW_LIMIT);
    assert.equal((html.match(/<section class="sample"/g) ?? []).length, 5);
    assert.match(html, /The first 5 of 8 samples are shown; 3 samples are left out/);
  });

  test('cuts long names, accessions and values on the page', () => {
    const long = 'x'.repeat(100_000);
    const html = renderResultsPage({ ...base, type: 'assembly', samples: { [long]: { [long]: [0.5, 0.5, long] } } });
    assert.ok(html.length < 10_000);
    assert.match(html, new RegExp(`<h2>x{100}…</h2>`));
  });

  test('escapes sample names, accessions and values', () => {
    const hostile = '<script>alert(1)</script>';
    const html = renderResultsPage({
      ...base,
      type: 'assembly',
      samples: { [hostile]: { [`"><img src=x onerror=alert(1)>`]: [0.5, 0.5, hostile] } },
    });
    assert.equal(html.includes('<script>alert'), false);
    assert.equal(html.includes('<img'), false);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the page script tag');
  });
});

describe('firstSamples', () => {
  const stored = (samples: unknown, type = 'assembly') => Buffer.from(JSON.stringify({ samples, type }));

  test('parses the first samples only, counts them all, and reads any string JSON can hold', () => {
    const samples = { 'a"\\}{': { 'k"]': [0.5, 1, 'c}"\\'] }, 'é ☃': { X_1: [1, 1, '{['] }, z: {} };
    assert.deepEqual(firstSamples(stored(samples), 'assembly', 10), {
      samples: Object.entries(samples),
      sampleCount: 3,
    });
    assert.deepEqual(firstSamples(stored(samples), 'assembly', 1), {
      samples: Object.entries(samples).slice(0, 1),
      sampleCount: 3,
    });
    assert.deepEqual(firstSamples(stored({}), 'assembly', 1), { samples: [], sampleCount: 0 });
  });

  test('refuses a document not in the stored form', () => {
    assert.throws(() => firstSamples(Buffer.from('{"samples":{"a":{"b":1}'), 'mapping', 1));
    assert.throws(() => firstSamples(Buffer.from('{"samples":[1],"type":"mapping"}'), 'mapping', 1));
  });
});

describe('renderNotFoundPage', () => {
  test('escapes the message', () => {
    assert.match(renderNotFoundPage('No <b>'), /No &lt;b&gt;/);
  });
});
