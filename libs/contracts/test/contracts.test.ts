import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { defineSubject, ErrorEnvelopeSchema, ResultsSubjects, ServiceError } from '../src';

describe('defineSubject', () => {
  test('accepts <service>.<entity>.<action>.v<N>', () => {
    const subject = defineSubject('typing-db.profiles.list.v1', z.object({}), z.object({}));
    assert.equal(subject.name, 'typing-db.profiles.list.v1');
  });

  for (const bad of [
    'profiles.list.v1',
    'typing.profiles.list',
    'typing.profiles.list.v0',
    'Typing.profiles.list.v1',
    'a.b.c.d.v1',
  ]) {
    test(`rejects ${bad}`, () => assert.throws(() => defineSubject(bad, z.object({}), z.object({}))));
  }

  test('every declared subject name is unique', () => {
    const names = Object.values(ResultsSubjects).map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
  });
});

describe('ServiceError', () => {
  test('round-trips through its envelope', () => {
    const error = new ServiceError(409, 'results.id_collision', 'taken', { id: '1' });
    const envelope = ErrorEnvelopeSchema.parse(JSON.parse(JSON.stringify(error.toEnvelope())));
    assert.deepEqual(envelope, { status: 409, code: 'results.id_collision', message: 'taken', details: { id: '1' } });
    const back = ServiceError.fromEnvelope(envelope);
    assert.equal(back.status, 409);
    assert.equal(back.message, 'taken');
  });

  test('omits details when there are none', () => {
    assert.deepEqual(ServiceError.notFound('gone').toEnvelope(), { status: 404, code: 'not_found', message: 'gone' });
  });
});

describe('results contracts', () => {
  test('ids are decimal unsigned 64-bit numbers', () => {
    const get = ResultsSubjects.get.request;
    assert.ok(get.safeParse({ id: '15675682358507007771' }).success);
    for (const id of ['', '-1', '01', '1e5', '123456789012345678901', 'abc', "1' OR '1'='1"]) {
      assert.equal(get.safeParse({ id }).success, false, id);
    }
  });
});
