import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { familyOf, formatError } from '../src/api-families';

const envelope = { status: 404, code: 'not_found', message: 'Locus abc does not exist.' };

describe('familyOf', () => {
  const cases: Array<[string, string]> = [
    ['/results', 'patlas'],
    ['/results/', 'patlas'],
    ['/results/page.js', 'patlas'],
    ['/resultsx', 'bigsdb'],
    ['/analytics_automated/submission/', 'analytics_automated'],
    ['/api/v1', 'cgi'],
    ['/api/v1/abc', 'cgi'],
    ['/db/pubmlst_neisseria_seqdef/loci', 'bigsdb'],
    ['/', 'bigsdb'],
  ];
  for (const [path, family] of cases) test(`${path} → ${family}`, () => assert.equal(familyOf(path), family));
});

describe('formatError', () => {
  test('pATLAS: the message as plain text', () => {
    const wire = formatError('patlas', {
      status: 400,
      code: 'bad_request',
      message: "No 'type' field was provided in the JSON object.",
    });
    assert.deepEqual(wire, {
      status: 400,
      contentType: 'text/plain; charset=utf-8',
      body: "No 'type' field was provided in the JSON object.",
    });
  });

  test('BIGSdb: status, title and message', () => {
    const wire = formatError('bigsdb', envelope);
    assert.equal(wire.status, 404);
    assert.deepEqual(JSON.parse(wire.body), {
      status: 404,
      title: 'Error 404 - Not Found',
      message: 'Locus abc does not exist.',
    });
  });

  test('analytics_automated: DRF not found, and {"error": …} otherwise', () => {
    assert.deepEqual(JSON.parse(formatError('analytics_automated', envelope).body), { detail: 'Not found.' });
    assert.deepEqual(
      JSON.parse(
        formatError('analytics_automated', {
          status: 400,
          code: 'bad_request',
          message: 'Input does not contain all required fields',
        }).body,
      ),
      {
        error: 'Input does not contain all required fields',
      },
    );
  });

  test('CGI: error_code and message', () => {
    assert.deepEqual(JSON.parse(formatError('cgi', { status: 403, code: 'forbidden', message: 'no slots' }).body), {
      error_code: 403,
      message: 'no slots',
    });
  });
});
