import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JobDefinitionSchema, type JobDefinition, type JobDefinitionInput } from '@helixgate/contracts';
import { endpointString, endpointsBody, missingParameters, requiredParameters, restAlias } from '../src/endpoints';

type Param = { name: string; boolValued?: boolean };
const task = (name: string, parameters: Param[]) => ({ kind: 'builtin' as const, name, builtin: 'noop', parameters });
const job = (name: string, steps: JobDefinitionInput['steps']): JobDefinition =>
  JobDefinitionSchema.parse({ name, steps });

// A_A's EndpointListTests: ParameterFactory makes bool_valued=True parameters unless told otherwise.
const job1 = job('job1', [
  { order: 0, task: task('task1', [{ name: 'this', boolValued: true }]) },
  { order: 1, task: task('task2', [{ name: 'that', boolValued: true }]) },
]);

describe('restAlias', () => {
  test('<task name>_<parameter name>', () => {
    assert.equal(restAlias('task1', 'this'), 'task1_this');
    assert.equal(restAlias({ name: 'psipred' }, { name: 'n' }), 'psipred_n');
  });
});

describe('endpointString', () => {
  test("A_A's test_return_of_available_endpoint_types, byte for byte", () => {
    assert.equal(
      JSON.stringify(endpointsBody([job1])),
      '{"jobs":["/submission/&job=job1&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]&task1_this=[TRUE/FALSE]&task2_that=[TRUE/FALSE]"]}',
    );
  });

  test('[VALUE] for other parameters, in parameter order; a job without parameters has the base string', () => {
    const d = job('psipred', [
      { order: 1, task: task('psipred', [{ name: 'n' }, { name: 'fast', boolValued: true }, { name: 'db' }]) },
    ]);
    assert.equal(
      endpointString(d),
      '/submission/&job=psipred&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]&psipred_n=[VALUE]&psipred_fast=[TRUE/FALSE]&psipred_db=[VALUE]',
    );
    assert.equal(
      endpointString(job('plain', [{ order: 0, task: task('t', []) }])),
      '/submission/&job=plain&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]',
    );
  });

  test('steps by order, ties in definition order; a task used twice is listed twice', () => {
    const d = job('j', [
      { order: 2, task: task('last', [{ name: 'z' }]) },
      { order: 1, task: task('b', [{ name: 'y' }]) },
      { order: 1, task: task('a', [{ name: 'x' }]) },
      { order: 3, task: task('b', [{ name: 'y' }]) },
    ]);
    assert.equal(
      endpointString(d),
      '/submission/&job=j&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]&b_y=[VALUE]&a_x=[VALUE]&last_z=[VALUE]&b_y=[VALUE]',
    );
    assert.deepEqual(requiredParameters(d), ['b_y', 'a_x', 'last_z']);
  });

  test('every job is listed, runnable or not', () => {
    const off = JobDefinitionSchema.parse({ name: 'off', runnable: false, steps: [{ order: 0, task: task('t', []) }] });
    assert.equal(endpointsBody([job1, off]).jobs.length, 2);
  });
});

describe('requiredParameters / missingParameters (A_A test_api_requests.py)', () => {
  const oneTask = job('job1', [{ order: 0, task: task('task1', [{ name: 'this' }, { name: 'that' }]) }]);

  test('every alias of every step, booleans included', () => {
    assert.deepEqual(requiredParameters(job1), ['task1_this', 'task2_that']);
    assert.deepEqual(requiredParameters(oneTask), ['task1_this', 'task1_that']);
  });

  test('accepts when all params given; rejects when one is missed', () => {
    assert.deepEqual(missingParameters(oneTask, ['task1_this', 'task1_that']), []);
    assert.deepEqual(missingParameters(oneTask, ['task1_this']), ['task1_that']);
  });

  test('ignores undefined params; checks params across more than one task', () => {
    const d = job('job1', [{ order: 0, task: task('task1', [{ name: 'this' }]) }]);
    assert.deepEqual(missingParameters(d, ['task1_strange', 'task1_this']), []);
    const two = job('job1', [
      { order: 0, task: task('task1', [{ name: 'this' }]) },
      { order: 1, task: task('task2', [{ name: 'this2' }]) },
    ]);
    assert.deepEqual(missingParameters(two, ['task2_this2', 'task1_this']), []);
    assert.deepEqual(missingParameters(two, new Set(['task1_this'])), ['task2_this2']);
  });

  test('a job without parameters needs nothing', () => {
    assert.deepEqual(missingParameters(job('j', [{ order: 0, task: task('t', []) }]), []), []);
  });
});
