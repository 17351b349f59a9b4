import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pageResult, pageWindow } from '../src/common/paging';

const BASE = 'http://host';
const req = (query: Array<[string, string]> = [], headers: { offsetHeader?: string; perPageHeader?: string } = {}) => ({
  path: '/db/d/loci',
  query,
  ...headers,
});

describe('BIGSdb paging', () => {
  test('defaults: page 1 of 100', () => {
    assert.deepEqual(pageWindow(req()), {
      page: 1,
      pageSize: 100,
      offset: 0,
      limit: 100,
      returnAll: false,
      headerMode: false,
    });
  });

  test('bad page or page_size fall back to 1 and 100; no maximum page size', () => {
    for (const bad of ['0', '-3', 'abc', '1.5', '']) {
      assert.equal(pageWindow(req([['page', bad]])).page, 1, bad);
      assert.equal(pageWindow(req([['page_size', bad]])).pageSize, 100, bad);
    }
    assert.equal(pageWindow(req([['page_size', '100000']])).pageSize, 100000);
    assert.equal(
      pageWindow(
        req([
          ['page', '3'],
          ['page_size', '10'],
        ]),
      ).offset,
      20,
    );
  });

  test('return_all uses Perl truthiness: even "false" turns it on, "0" and "" do not', () => {
    assert.equal(pageWindow(req([['return_all', 'false']])).returnAll, true);
    assert.equal(pageWindow(req([['return_all', '1']])).limit, undefined);
    assert.equal(pageWindow(req([['return_all', '0']])).returnAll, false);
    assert.equal(pageWindow(req([['return_all', '']])).returnAll, false);
  });

  test('header mode: X-OFFSET / X-PER-PAGE when truthy; X-OFFSET: 0 alone does not turn it on', () => {
    const w = pageWindow(req([['page_size', '10']], { offsetHeader: '15', perPageHeader: '5' }));
    assert.deepEqual([w.headerMode, w.offset, w.limit], [true, 15, 5]);
    assert.equal(pageWindow(req([], { offsetHeader: '0' })).headerMode, false);
    assert.equal(pageResult(w, 100, req(), BASE).paging, undefined, 'no paging object in header mode');
  });

  test('headers on every paged answer; paging object left out for a single page', () => {
    const single = pageResult(pageWindow(req()), 7, req(), BASE);
    assert.deepEqual(single, { headers: { perPage: 100, offset: 0, totalPages: 1 } });
    assert.deepEqual(pageResult(pageWindow(req()), 0, req(), BASE), {
      headers: { perPage: 100, offset: 0, totalPages: 0 },
    });
  });

  test('links: first/previous past page 1, next before the last, last unless on it, return_all with them', () => {
    const query: Array<[string, string]> = [
      ['page', '2'],
      ['page_size', '10'],
      ['z', '1'],
      ['a', 'x y'],
      ['oauth_token', 't'],
    ];
    const { paging, headers } = pageResult(pageWindow(req(query)), 35, req(query), BASE);
    assert.deepEqual(headers, { perPage: 10, offset: 10, totalPages: 4 });
    assert.deepEqual(paging, {
      first: 'http://host/db/d/loci?page=1&page_size=10&a=x y&z=1',
      previous: 'http://host/db/d/loci?page=1&page_size=10&a=x y&z=1',
      next: 'http://host/db/d/loci?page=3&page_size=10&a=x y&z=1',
      last: 'http://host/db/d/loci?page=4&page_size=10&a=x y&z=1',
      return_all: 'http://host/db/d/loci?return_all=1&a=x y&z=1',
    });
    const last = pageResult(
      pageWindow(
        req([
          ['page', '4'],
          ['page_size', '10'],
        ]),
      ),
      35,
      req([
        ['page', '4'],
        ['page_size', '10'],
      ]),
      BASE,
    ).paging!;
    assert.deepEqual(Object.keys(last).sort(), ['first', 'previous', 'return_all']);
  });
});
