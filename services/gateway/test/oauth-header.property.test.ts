import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseAuthorizationHeaderParams } from '../src/auth/oauth-header';

/** Property-based checks of the OAuth Authorization header reader: any header, and headers written every legal way. */
const percentEncode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

describe('OAuth Authorization header (property-based)', () => {
  test('any header value: never throws, and every name it returns is a parameter name', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 500 }),
          fc.string({ unit: 'binary', maxLength: 500 }).map((s) => `OAuth ${s}`),
          fc.constant(undefined),
        ),
        (header) => {
          const pairs = parseAuthorizationHeaderParams(header);
          for (const [name, value] of pairs) {
            assert.match(name, /^[A-Za-z0-9_.~-]+$/);
            assert.equal(typeof value, 'string');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('parameters written with any spacing and quoting read back as they were, percent-decoded', () => {
    const parameter = fc.record({
      name: fc.stringMatching(/^oauth_[a-z_]{1,20}$/),
      value: fc.string({ unit: 'binary', maxLength: 40 }),
      space: fc.constantFrom('', ' ', '  ', '\t'),
    });
    fc.assert(
      fc.property(
        fc.array(parameter, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('OAuth ', 'OAuth  ', 'oauth '),
        (parameters, scheme) => {
          const header = scheme + parameters.map((p) => `${p.space}${p.name}="${percentEncode(p.value)}"`).join(',');
          assert.deepEqual(
            parseAuthorizationHeaderParams(header),
            parameters.map((p) => [p.name, p.value]),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
