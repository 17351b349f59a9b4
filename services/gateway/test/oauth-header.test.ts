import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAuthorizationHeaderParams as parseAuthorizationHeader } from '../src/auth/oauth-header';

describe('OAuth Authorization header', () => {
  test('Authorization header: quoted, unquoted, with and without spaces (rauth sends no spaces)', () => {
    assert.deepEqual(parseAuthorizationHeader('OAuth realm="",oauth_consumer_key="abc",oauth_signature="a%2Bb%3D"'), [
      ['realm', ''],
      ['oauth_consumer_key', 'abc'],
      ['oauth_signature', 'a+b='],
    ]);
    assert.deepEqual(parseAuthorizationHeader('OAuth oauth_nonce="n1", oauth_version="1.0"'), [
      ['oauth_nonce', 'n1'],
      ['oauth_version', '1.0'],
    ]);
    assert.deepEqual(parseAuthorizationHeader('Basic abc'), []);
  });
  test('no header, or another scheme: no parameters', () => {
    assert.deepEqual(parseAuthorizationHeader(undefined), []);
    assert.deepEqual(parseAuthorizationHeader('someone@example.org abc123'), []);
  });
});
