import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderedDom, screenshot, type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

describe('the results page in headless Chromium', () => {
  let stack: Stack;
  let link: string;
  const hostile = '<img src=x onerror="document.title=\'pwned\'">';

  before(async () => {
    stack = await startStack(['results-import']);
    const samples = {
      sample_1: {
        NZ_CP015088_1: 0.6800298214104171,
        NZ_CP019048_1: 0.6414056876230454,
        NZ_CP029222_1: 1.0,
        NZ_CP022144_1: 0.782715083639,
        NC_019983_1: 0.608254857045898,
      },
      [hostile]: { NC_011102_1: 0.95 },
    };
    link = (await request(stack.baseUrl).post('/results/').send({ type: 'mapping', samples })).text;
    assert.match(link, /\/results\?query=\d+$/);
  });
  after(async () => {
    await stack?.close();
  });

  test('renders every row and the chart, and its script runs under the CSP', async () => {
    const dom = await renderedDom(link);
    assert.equal(
      (dom.match(/<table class="sortable" id="table-\d" data-sort-ready="true">/g) ?? []).length,
      2,
      'the page script ran on both tables',
    );
    const start = dom.indexOf('<h2>sample_1</h2>');
    assert.ok(start > 0, 'a section per sample');
    const section = dom.slice(start, dom.indexOf('</section>', start));
    const table = section.slice(section.indexOf('<table'));
    assert.equal((table.match(/<tr><td>/g) ?? []).length, 5);
    const chart = section.slice(section.indexOf('<svg'), section.indexOf('</svg>'));
    assert.equal((chart.match(/<rect /g) ?? []).length, 5);
    for (const accession of ['NZ_CP015088_1', 'NZ_CP019048_1', 'NZ_CP029222_1', 'NZ_CP022144_1', 'NC_019983_1'])
      assert.ok(table.includes(accession), accession);
    assert.match(dom, /aria-sort="descending"/);
    assert.match(dom, /Download JSON/);
  });

  test('a hostile sample name is shown as text, never run', async () => {
    const dom = await renderedDom(link);
    assert.doesNotMatch(dom, /<title>pwned<\/title>/);
    assert.ok(dom.includes('&lt;img src=x onerror="document.title=\'pwned\'"&gt;'), 'the name appears escaped');
  });

  test('draws a page (screenshot)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'helixgate-page-')), 'results.png');
    await screenshot(link, file);
    assert.ok(existsSync(file) && statSync(file).size > 10_000, 'a non-trivial PNG');
    if (process.env.KEEP_SCREENSHOTS) console.log(`screenshot: ${file}`);
  });
});
