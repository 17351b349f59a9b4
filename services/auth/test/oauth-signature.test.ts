import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  baseStringUri,
  hmacSha1,
  percentEncode,
  signatureBaseString,
  signatureMatches,
} from '../src/oauth/oauth-signature';

describe('RFC 5849 signatures', () => {
  test('3.4.1.1: the worked example base string', () => {
    // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b with body c2&a3=2+q and the example's Authorization header
    const params: Array<[string, string]> = [
      ['b5', '=%3D'],
      ['a3', 'a'],
      ['c@', ''],
      ['a2', 'r b'],
      ['c2', ''],
      ['a3', '2 q'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature', 'bYT5CMsGcbgUdFHObYMEfcx6bsw='],
    ];
    assert.equal(
      signatureBaseString('POST', 'http://example.com/request', params),
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  test('1.2: the photos example signature (HMAC-SHA1)', () => {
    const params: Array<[string, string]> = [
      ['file', 'vacation.jpg'],
      ['size', 'original'],
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_token', 'nnch734d00sl2jdk'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131202'],
      ['oauth_nonce', 'chapoH'],
    ];
    const base = signatureBaseString('GET', 'http://photos.example.net/photos', params);
    assert.equal(
      base,
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal',
    );
    assert.equal(hmacSha1(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00'), 'MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    const signed = {
      method: 'GET',
      url: 'http://photos.example.net/photos',
      params: [...params, ['oauth_signature', 'MdpQcU8iPSUjWoN/UDMsK2sui9I='] as [string, string]],
    };
    assert.equal(signatureMatches(signed, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00'), true);
    assert.equal(signatureMatches(signed, 'kd94hf93k423kf44', 'wrong'), false);
    assert.equal(signatureMatches({ ...signed, method: 'POST' }, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00'), false);
  });

  test('3.4.1.2: base string URI', () => {
    assert.equal(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123'), 'http://example.com/r%20v/X');
    assert.equal(baseStringUri('https://www.example.net:8080/?q=1'), 'https://www.example.net:8080/');
    assert.equal(baseStringUri('https://example.net:443/a'), 'https://example.net/a');
  });

  test('3.6: percent-encoding of reserved and unicode characters', () => {
    assert.equal(percentEncode("a b!*'()~._-"), 'a%20b%21%2A%27%28%29~._-');
    assert.equal(percentEncode('F$M+fQ2^%'), 'F%24M%2BfQ2%5E%25');
    assert.equal(percentEncode('é'), '%C3%A9');
  });
});
