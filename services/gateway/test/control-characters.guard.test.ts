import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '@helixgate/contracts';
import type { ExecutionContext } from '@nestjs/common';
import fc from 'fast-check';
import { ControlCharactersGuard } from '../src/control-characters.guard';

interface Shape {
  path?: string;
  url?: string;
  params?: Record<string, string | string[]>;
  headers?: Record<string, string | string[]>;
}

const guard = new ControlCharactersGuard();
const context = ({ path = '/db/x', url, params = {}, headers = {} }: Shape) =>
  ({
    switchToHttp: () => ({ getRequest: () => ({ path, originalUrl: url ?? path, params, headers }) }),
  }) as unknown as ExecutionContext;
/** undefined when the guard lets the request through, else the 400's message. */
function verdict(shape: Shape): string | undefined {
  try {
    assert.equal(guard.canActivate(context(shape)), true);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ServiceError && error.status === 400, String(error));
    return error.message;
  }
}
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('the control-characters guard', () => {
  test('refuses control characters in the decoded path, path parameters (wildcards too) and query names and values', () => {
    assert.match(verdict({ path: '/db/x/loci/abcZ/alleles/2%00' })!, /in the path/);
    assert.match(verdict({ params: { alleleId: '2\u0000' } })!, /path parameter alleleId/);
    assert.match(verdict({ params: { path: ['job', 'a\u0001'] } })!, /path parameter path/);
    assert.match(verdict({ url: '/db/x?page=1%00' })!, /query parameter "page"/);
    assert.match(verdict({ url: '/db/x?a%0Ab=1' })!, /query parameter/);
    assert.match(verdict({ url: '/db/x?x=%7F' })!, /query parameter/);
    assert.equal(verdict({ path: '/db/x/loci/abc%20Z', url: '/db/x?q=%E2%9C%93+a&b=%25' }), undefined);
    assert.equal(verdict({ path: '/db/x/%E0%A4' }), undefined, 'a malformed escape is left to the route');
  });

  test('headers used as data; Basic e-mails and OAuth parameters are checked decoded; a password may hold a tab', () => {
    assert.match(verdict({ headers: { 'x-per-page': '1\t0' } })!, /x-per-page header/);
    assert.match(verdict({ headers: { authorization: basic('ada\u0000@example.org:pw') } })!, /authorization/);
    assert.match(verdict({ headers: { authorization: basic('ada\t@example.org:pw') } })!, /authorization/);
    assert.match(verdict({ headers: { authorization: basic('ada@example.org:p\u0000w') } })!, /authorization/);
    assert.equal(verdict({ headers: { authorization: basic('ada@example.org:p\tw') } }), undefined);
    assert.match(verdict({ headers: { authorization: 'OAuth oauth_nonce="a%00b"' } })!, /authorization/);
    assert.match(verdict({ headers: { authorization: 'ada@example.org\tAAAAAAAAAAAAAAAAAAAA' } })!, /authorization/);
    assert.equal(
      verdict({ headers: { authorization: 'OAuth oauth_consumer_key="k", oauth_nonce="n%20"', 'user-agent': 'a\tb' } }),
      undefined,
    );
  });

  test('arbitrary requests: through, or a 400 exactly when a control character is there', () => {
    const text = fc
      .string({ unit: 'binary', maxLength: 12 })
      .filter((t) => !/[\uD800-\uDFFF]/.test(t.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));
    fc.assert(
      fc.property(text, text, text, (param, query, header) => {
        const url = `/db/x?q=${encodeURIComponent(query)}`;
        const refused = verdict({ url, params: { id: param }, headers: { 'x-offset': header } }) !== undefined;
        assert.equal(
          refused,
          // eslint-disable-next-line no-control-regex -- the control characters the guard refuses
          [param, query, header].some((t) => /[\u0000-\u001f\u007f]/.test(t)),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
