import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  INLINE_PAYLOAD_LIMIT_BYTES,
  type JobDefinitionInput,
  JobSubjects,
  RunEndedEventSchema,
  runEndedSubject,
} from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { assertRefusedBySchema, serviceClient, type ServiceStack, startServices } from '@helixgate/testing';

const UNFINISHED_PER_OWNER = 2;

/** A job no worker needs to exist for: the test takes its runs through the worker's subjects itself. */
const definition = (name: string): JobDefinitionInput => ({
  name,
  description: 'says a value',
  steps: [
    {
      order: 1,
      task: {
        kind: 'executable',
        name: 'say',
        command: ['echo', '$P1'],
        stdoutGlob: '.said',
        parameters: [{ name: 'value', switchless: true }],
      },
    },
  ],
});

/**
 * jobs alone on real NATS (its JetStream work queue) and MongoDB, its subjects called as the gateway, submissions and
 * jobs-worker call them (none of them running): definitions, runs and their life through the worker's subjects.
 */
describe('jobs service over NATS', () => {
  let stack: ServiceStack;
  let rpc: RpcClient;

  before(async () => {
    stack = await startServices(['jobs'], { jobs: { JOBS_MAX_UNFINISHED_PER_OWNER: String(UNFINISHED_PER_OWNER) } });
    ({ rpc } = await serviceClient(stack, { RpcClient, TransferStore }));
  });
  after(async () => {
    await stack?.close();
  });

  test('definitions: the shipped ones listed, a new one put once and read back with its defaults', async () => {
    const names = (await rpc.request(JobSubjects.listDefinitions, {})).map((d) => d.name);
    for (const shipped of ['cgi', 'fasta_stats', 'mlst', 'psipred']) assert.ok(names.includes(shipped), shipped);

    assert.deepEqual(await rpc.request(JobSubjects.putDefinition, definition('say-once')), {
      name: 'say-once',
      created: true,
    });
    assert.deepEqual(await rpc.request(JobSubjects.putDefinition, definition('say-once')), {
      name: 'say-once',
      created: false,
    });
    const stored = await rpc.request(JobSubjects.getDefinition, { name: 'say-once' });
    assert.deepEqual(
      [stored.runnable, stored.analyticsAutomated, stored.steps[0].task.timeoutSeconds],
      [true, true, 3600],
    );
    await assert.rejects(rpc.request(JobSubjects.getDefinition, { name: 'nope' }), {
      status: 404,
      code: 'not_found',
      message: 'Job nope does not exist.',
    });
  });

  test('a run: submitted, started, logged and finished through the worker subjects, then deleted', async () => {
    await rpc.request(JobSubjects.putDefinition, definition('say-run'));
    const owner = 'ada@example.org';
    const submitted = await rpc.request(JobSubjects.submitRun, { job: 'say-run', owner, parameters: { value: 'hi' } });
    assert.deepEqual([submitted.state, submitted.parameters], ['Submitted', { value: 'hi' }]);
    const runId = submitted.id;

    const started = await rpc.request(JobSubjects.startRun, { runId, worker: 'service-test', attempt: 1 });
    assert.deepEqual([started.run?.state, started.definition?.name], ['Running', 'say-run']);
    assert.deepEqual(
      await rpc.request(JobSubjects.appendLog, { runId, lines: ['hello'], message: 'Running step: 1' }),
      { cancelled: false },
    );
    assert.equal((await rpc.request(JobSubjects.getRun, { runId })).message, 'Running step: 1');
    assert.deepEqual(
      await rpc.request(JobSubjects.finishRun, { runId, state: 'Complete', message: 'Done', outputs: [] }),
      {
        recorded: true,
      },
    );
    assert.deepEqual(
      await rpc.request(JobSubjects.finishRun, { runId, state: 'Error', message: 'late', outputs: [] }),
      {
        recorded: false,
      },
    );

    const logs = await rpc.request(JobSubjects.getLogs, { runId, owner });
    assert.equal(logs.state, 'Complete');
    assert.equal(logs.lines.at(-1), 'hello');
    assert.deepEqual(
      (await rpc.request(JobSubjects.listRuns, { owner, job: 'say-run' })).map((r) => [r.id, r.state, r.message]),
      [[runId, 'Complete', 'Done']],
    );
    await assert.rejects(rpc.request(JobSubjects.getRun, { runId, owner: 'someone@example.org' }), {
      status: 404,
      code: 'not_found',
    });
    assert.deepEqual(await rpc.request(JobSubjects.deleteRun, { runId, owner }), { deleted: true });
    await assert.rejects(rpc.request(JobSubjects.getRun, { runId }), {
      status: 404,
      code: 'not_found',
      message: `Run ${runId} does not exist.`,
    });
  });

  test("refusals: an unknown parameter is a 400, the owner's limit of unfinished runs a 403", async () => {
    await rpc.request(JobSubjects.putDefinition, definition('say-limit'));
    const owner = 'busy@example.org';
    await assert.rejects(
      rpc.request(JobSubjects.submitRun, { job: 'say-limit', owner, parameters: { volume: 'loud' } }),
      { status: 400, code: 'bad_request', message: 'Job say-limit has no parameter volume.' },
    );
    const runs = [];
    for (let i = 0; i < UNFINISHED_PER_OWNER; i += 1)
      runs.push(await rpc.request(JobSubjects.submitRun, { job: 'say-limit', owner }));
    await assert.rejects(rpc.request(JobSubjects.submitRun, { job: 'say-limit', owner }), {
      status: 403,
      code: 'too_many_runs',
    });
    const cancelled = await rpc.request(JobSubjects.cancelRun, { runId: runs[0].id, owner });
    assert.deepEqual([cancelled.state, cancelled.message, cancelled.cancelled], ['Error', 'Cancelled', true]);
    assert.equal((await rpc.request(JobSubjects.submitRun, { job: 'say-limit', owner })).state, 'Submitted');
  });

  test("a worker's outcome with its last lines: the log ends with them, and the run's ended event is published", async () => {
    await rpc.request(JobSubjects.putDefinition, definition('say-ended'));
    const events = stack.nats.subscribe(runEndedSubject(stack.env.NATS_SUBJECT_PREFIX));
    await stack.nats.flush();
    const { id: runId } = await rpc.request(JobSubjects.submitRun, { job: 'say-ended', owner: 'ended@example.org' });
    await rpc.request(JobSubjects.startRun, { runId, worker: 'service-test', attempt: 1 });
    await rpc.request(JobSubjects.appendLog, { runId, lines: ['early'] });
    const few = ['attempt 1 on service-test', 'Complete: Done'];
    assert.deepEqual(
      await rpc.request(JobSubjects.finishRun, { runId, state: 'Complete', message: 'Done', outputs: [], lines: few }),
      { recorded: true },
    );
    for await (const message of events) {
      const event = RunEndedEventSchema.parse(JSON.parse(message.string()));
      if (event.runId !== runId) continue;
      assert.equal(event.state, 'Complete');
      break;
    }
    events.unsubscribe();
    assert.deepEqual((await rpc.request(JobSubjects.getLogs, { runId })).lines, ['early', ...few]);
    // More lines than go with the outcome are appended to the log first, in order.
    const { id: chatty } = await rpc.request(JobSubjects.submitRun, { job: 'say-ended', owner: 'ended@example.org' });
    await rpc.request(JobSubjects.startRun, { runId: chatty, worker: 'service-test', attempt: 1 });
    const many = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    await rpc.request(JobSubjects.finishRun, { runId: chatty, state: 'Error', message: 'x', outputs: [], lines: many });
    assert.deepEqual((await rpc.request(JobSubjects.getLogs, { runId: chatty })).lines, many);
  });

  test('a log larger than a message comes back through the transfer store', async () => {
    await rpc.request(JobSubjects.putDefinition, definition('say-much'));
    const { id: runId } = await rpc.request(JobSubjects.submitRun, { job: 'say-much', owner: 'chatty@example.org' });
    await rpc.request(JobSubjects.startRun, { runId, worker: 'service-test', attempt: 1 });
    const lines = Array.from({ length: 25 }, (_, i) => `${i} ${'x'.repeat(9_990)}`);
    await rpc.request(JobSubjects.appendLog, { runId, lines });
    const logs = await rpc.request(JobSubjects.getLogs, { runId });
    assert.ok(Buffer.byteLength(JSON.stringify(logs)) > INLINE_PAYLOAD_LIMIT_BYTES);
    assert.deepEqual(logs.lines.slice(-lines.length), lines);
  });

  test('a request outside its schema is a 400 envelope from the service', async () => {
    await assertRefusedBySchema(
      rpc,
      JobSubjects.submitRun,
      {
        job: 'say-anything',
        owner: 'ada',
        priority: 'urgent',
      },
      [['priority']],
    );
  });
});
