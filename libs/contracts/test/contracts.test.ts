import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import * as contracts from '../src';
import { defineSubject, ErrorEnvelopeSchema, ResultsSubjects, ServiceError, type Subject } from '../src';

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

/** Every subject group, with the service that owns (answers) its subjects. */
const SUBJECT_GROUPS = {
  ResultsSubjects: { owner: 'results-import', subjects: contracts.ResultsSubjects },
  AuthSubjects: { owner: 'auth', subjects: contracts.AuthSubjects },
  TypingSubjects: { owner: 'typing-db', subjects: contracts.TypingSubjects },
  SubmissionSupportSubjects: { owner: 'typing-db', subjects: contracts.SubmissionSupportSubjects },
  JobSubjects: { owner: 'jobs', subjects: contracts.JobSubjects },
  SubmissionsSubjects: { owner: 'submissions', subjects: contracts.SubmissionsSubjects },
  AaSubjects: { owner: 'submissions', subjects: contracts.AaSubjects },
};
const ALL_SUBJECTS = Object.values(SUBJECT_GROUPS).flatMap(({ owner, subjects }) =>
  Object.entries(subjects).map(([key, subject]) => ({
    owner,
    key,
    subject: subject as Subject<z.ZodTypeAny, z.ZodTypeAny>,
  })),
);

/** Where a schema leaves a value's shape unwritten: z.unknown() or z.any(), or a record of them. */
function untypedPaths(schema: z.ZodTypeAny, path: string, seen = new Set<z.ZodTypeAny>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._def as { typeName: z.ZodFirstPartyTypeKind };
  const inner = (child: z.ZodTypeAny, where: string) => untypedPaths(child, where, seen);
  switch (def.typeName) {
    case z.ZodFirstPartyTypeKind.ZodUnknown:
    case z.ZodFirstPartyTypeKind.ZodAny:
      return [path];
    case z.ZodFirstPartyTypeKind.ZodObject: {
      const object = schema as z.AnyZodObject;
      return [
        ...Object.entries(object.shape as Record<string, z.ZodTypeAny>).flatMap(([k, v]) => inner(v, `${path}.${k}`)),
        ...(object._def.catchall instanceof z.ZodNever ? [] : inner(object._def.catchall, `${path}.*`)),
      ];
    }
    case z.ZodFirstPartyTypeKind.ZodRecord:
      return inner((schema as z.ZodRecord).valueSchema, `${path}[*]`);
    case z.ZodFirstPartyTypeKind.ZodArray:
      return inner((schema as z.ZodArray<z.ZodTypeAny>).element, `${path}[]`);
    case z.ZodFirstPartyTypeKind.ZodUnion:
    case z.ZodFirstPartyTypeKind.ZodDiscriminatedUnion:
      return (schema as z.ZodUnion<[z.ZodTypeAny, ...z.ZodTypeAny[]]>)._def.options.flatMap((o: z.ZodTypeAny) =>
        inner(o, path),
      );
    case z.ZodFirstPartyTypeKind.ZodIntersection: {
      const { left, right } = (schema as z.ZodIntersection<z.ZodTypeAny, z.ZodTypeAny>)._def;
      return [...inner(left, path), ...inner(right, path)];
    }
    case z.ZodFirstPartyTypeKind.ZodTuple:
      return (schema as z.ZodTuple)._def.items.flatMap((item: z.ZodTypeAny, i: number) => inner(item, `${path}[${i}]`));
    case z.ZodFirstPartyTypeKind.ZodOptional:
    case z.ZodFirstPartyTypeKind.ZodNullable:
      return inner((schema as z.ZodOptional<z.ZodTypeAny>).unwrap(), path);
    case z.ZodFirstPartyTypeKind.ZodDefault:
      return inner((schema as z.ZodDefault<z.ZodTypeAny>).removeDefault(), path);
    case z.ZodFirstPartyTypeKind.ZodEffects:
      return inner((schema as z.ZodEffects<z.ZodTypeAny>).innerType(), path);
    case z.ZodFirstPartyTypeKind.ZodLazy:
      return inner((schema as z.ZodLazy<z.ZodTypeAny>).schema, path);
    default:
      return [];
  }
}

describe('the subjects of every service', () => {
  test('106 subjects, each name unique and <owner>.<entity>.<action>.v<N>', () => {
    assert.equal(ALL_SUBJECTS.length, 106);
    const names = ALL_SUBJECTS.map(({ subject }) => subject.name);
    assert.equal(new Set(names).size, names.length, 'a subject name is declared twice');
    for (const { owner, key, subject } of ALL_SUBJECTS) {
      assert.ok(subject.name.startsWith(`${owner}.`), `${key} (${subject.name}) is not named for its owner ${owner}`);
    }
  });

  test('every reply is typed: no value left as z.unknown() or z.any()', () => {
    const untyped = ALL_SUBJECTS.flatMap(({ key, subject }) => untypedPaths(subject.reply, key));
    assert.deepEqual(untyped, []);
  });
});
