import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureInfrastructure, type Stack, startServiceProcess, startStack } from '@helixgate/testing';
import request from 'supertest';

describe('the gateway edge', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack(['results-import'], { gateway: { RATE_LIMIT_PER_MINUTE: '4' } });
  });
  after(async () => {
    await stack?.close();
  });

  test('security headers from helmet, without the powered-by banner', async () => {
    const res = await request(stack.baseUrl).get('/results?query=1');
    assert.match(res.headers['content-security-policy'], /script-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  test('over the rate limit: 429 in the family format, counted per client across routes', async () => {
    for (let i = 0; i < 4; i += 1) await request(stack.baseUrl).get('/results?query=1');
    const patlas = await request(stack.baseUrl).get('/results?query=1');
    assert.equal(patlas.status, 429);
    assert.match(patlas.headers['content-type'], /^text\/plain/);
    const otherRoute = await request(stack.baseUrl)
      .post('/results/')
      .send({ type: 'mapping', samples: { s: { A_1: 0.5 } } });
    assert.equal(otherRoute.status, 429);
    const script = await request(stack.baseUrl).get('/results/page.js');
    assert.equal(script.status, 429);
  });

  test('a gateway with a bad environment refuses to start and says why', async () => {
    const { natsUrl } = await ensureInfrastructure();
    await assert.rejects(
      startServiceProcess('gateway', { NATS_URL: natsUrl, PORT: 'eighty', PUBLIC_URL: 'not a url' }),
      (error: Error) => {
        assert.match(error.message, /exited with code 78/);
        assert.match(error.message, /- PORT:/);
        assert.match(error.message, /- PUBLIC_URL:/);
        assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace');
        return true;
      },
    );
  });
});
