import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BaseEnvSchema, ConfigError, envSchemas, loadConfig, MongoEnvSchema } from '../src';

const Schema = BaseEnvSchema.merge(MongoEnvSchema).extend({
  MONGODB_DATABASE: envSchemas.databaseName.default('helixgate_x'),
});

describe('loadConfig', () => {
  test('fills defaults from an empty environment', () => {
    const config = loadConfig(Schema, {});
    assert.equal(config.NATS_URL, 'nats://127.0.0.1:4222');
    assert.equal(config.MONGODB_URI, 'mongodb://127.0.0.1:27017');
    assert.equal(config.OPS_PORT, 9100);
    assert.equal(config.NATS_SUBJECT_PREFIX, '');
  });

  test('coerces numbers from strings', () => {
    assert.equal(loadConfig(Schema, { OPS_PORT: '9300' }).OPS_PORT, 9300);
  });

  test('names every bad variable in one error', () => {
    assert.throws(
      () =>
        loadConfig(Schema, {
          OPS_PORT: 'abc',
          MONGODB_URI: 'postgres://x',
          LOG_LEVEL: 'loud',
          MONGODB_DATABASE: 'Bad Name',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const name of ['OPS_PORT', 'MONGODB_URI', 'LOG_LEVEL', 'MONGODB_DATABASE'])
          assert.match(error.message, new RegExp(`- ${name}:`));
        return true;
      },
    );
  });

  test('refuses a subject prefix NATS would split or wildcard', () => {
    for (const prefix of ['a.b', 'a*', 'a>', 'A'])
      assert.throws(() => loadConfig(Schema, { NATS_SUBJECT_PREFIX: prefix }), ConfigError);
  });
});
