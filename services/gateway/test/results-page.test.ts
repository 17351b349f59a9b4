import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderNotFoundPage, renderResultsPage } from '../src/patlas/results-page';

const base = { id: '42', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-02T00:00:00.000Z' };

describe('renderResultsPage', () => {
  test('one table row and one bar per accession', () => {
    const html = renderResultsPage({ ...base, type: 'mapping', samples: { s1: { NZ_CP015088_1: 0.68, NC_019983_1: 0.61, X_1: '0.9' } } });
    assert.equal((html.match(/<tr><td>/g) ?? []).length, 3);
    assert.equal((html.match(/<rect /g) ?? []).length, 3);
    assert.match(html, /href="https:\/\/www\.ncbi\.nlm\.nih\.gov\/nuccore\/NZ_CP015088\.1"/);
    assert.match(html, /download="patlas-results-42\.json"/);
  });

  test('rows start sorted by the charted value, highest first', () => {
    const html = renderResultsPage({ ...base, type: 'mapping', samples: { s1: { LOW_1: 0.1, HIGH_1: 0.9, MID_1: 0.5 } } });
    assert.ok(html.indexOf('HIGH_1') < html.indexOf('MID_1') && html.indexOf('MID_1') < html.indexOf('LOW_1'));
  });

  test('columns follow the type', () => {
    const html = renderResultsPage({ ...base, type: 'assembly', samples: { s1: { NC_019102_1: [0.9012016, 0.967, 'contig1'] } } });
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

  test('escapes sample names, accessions and values', () => {
    const hostile = '<script>alert(1)</script>';
    const html = renderResultsPage({ ...base, type: 'assembly', samples: { [hostile]: { [`"><img src=x onerror=alert(1)>`]: [0.5, 0.5, hostile] } } });
    assert.equal(html.includes('<script>alert'), false);
    assert.equal(html.includes('<img'), false);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the page script tag');
  });
});

describe('renderNotFoundPage', () => {
  test('escapes the message', () => {
    assert.match(renderNotFoundPage('No <b>'), /No &lt;b&gt;/);
  });
});
