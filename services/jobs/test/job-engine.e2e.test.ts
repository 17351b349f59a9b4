import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { JobSubjects, type Run, type RunFile, ServiceError } from '@helixgate/contracts';
import { openJobFiles, RpcClient, TransferStore } from '@helixgate/platform';
import { type RunningProcess, type Stack, startServiceProcess, startStack } from '@helixgate/testing';
import { connect, type NatsConnection } from 'nats';

/**
 * The job engine end to end on real NATS (JetStream work queue, object store) and the MongoDB-compatible server:
 * definitions loaded from YAML by the admin command, runs submitted over NATS, executed by jobs-worker
 * processes (no shell), logs, outputs, failures, cancellation, per-owner limits, and a worker killed mid-run.
 */
const DEFINITIONS = `
- name: count-lines
  description: sorts a text file, then counts and heads it in parallel
  steps:
    - order: 1
      task: { kind: executable, name: sort, command: "sort $I1 -o $O1", inGlobs: [".txt"], outGlobs: [".sorted"] }
    - order: 2
      task: { kind: executable, name: count, command: "wc -l $I1", inGlobs: [".sorted"], stdoutGlob: ".count" }
    - order: 2
      task:
        kind: executable
        name: head
        command: "head $P1 $I1"
        inGlobs: [".sorted"]
        stdoutGlob: ".head"
        parameters: [{ name: lines, flag: "-n", default: "2" }]
- name: echo-value
  steps:
    - order: 1
      task: { kind: executable, name: say, command: "echo $P1", stdoutGlob: ".said", parameters: [{ name: value, switchless: true }] }
- name: fails
  steps:
    - order: 1
      task: { kind: executable, name: list-missing, command: "ls /nonexistent-helixgate-path" }
- name: missing-output
  steps:
    - order: 1
      task: { kind: executable, name: lazy, command: "true", outGlobs: [".out"] }
- name: sleeper
  steps:
    - order: 1
      task: { kind: builtin, name: nap, builtin: sleep, parameters: [{ name: seconds, default: "60" }] }
- name: noop
  steps:
    - order: 1
      task: { kind: builtin, name: nothing, builtin: noop }
- name: limits
  steps:
    - order: 1
      task:
        kind: executable
        name: env-and-exit
        command: ["node", "-e", "console.log('greeting=' + process.env.GREETING + ' secret=' + process.env.AUTH_SECRET_KEY); process.exit(3)"]
        environment: { GREETING: hello }
        customExit: { statuses: [3], behaviour: continue }
        stdoutGlob: ".env"
    - order: 2
      task: { kind: executable, name: chatty, command: ["node", "-e", "process.stdout.write('x'.repeat(100000))"], maxOutputBytes: 1000 }
- name: too-slow
  steps:
    - order: 1
      task: { kind: executable, name: forever, command: "sleep 30", timeoutSeconds: 1 }
- name: slow-write
  steps:
    - order: 1
      task:
        kind: executable
        name: slow
        command: ["node", "-e", "setTimeout(() => require('fs').writeFileSync(process.argv[1], 'written by ' + process.argv[2]), 8000)", "$O1", "$ID"]
        outGlobs: [".done"]
`;

describe('job engine: definitions, runs, workers', () => {
  let stack: Stack;
  let nats: NatsConnection;
  let rpc: RpcClient;
  let uploads: TransferStore;
  let files: TransferStore;
  let dir: string;
  const extraWorkers: RunningProcess[] = [];
  /** What the first load of DEFINITIONS (made before any test, which the runs below use) reported. */
  let firstLoad: { loaded: string[]; created: number };
  const loadDefinitions = () => stack.cli('jobs', ['load-definitions', '--file', join(dir, 'jobs.yaml')]);

  const upload = async (name: string, content: string): Promise<RunFile> => ({
    name,
    ref: await uploads.put(Readable.from([content]), 1024 ** 2, 'too large'),
  });
  const submit = (
    job: string,
    extra: Partial<{ owner: string; parameters: Record<string, string>; inputs: RunFile[] }> = {},
  ) =>
    rpc.request(JobSubjects.submitRun, {
      job,
      owner: extra.owner ?? 'ada@example.org',
      parameters: extra.parameters,
      inputs: extra.inputs,
    });
  const waitFor = async (runId: string, states: Run['state'][], seconds = 60): Promise<Run> => {
    for (let i = 0; i < seconds * 10; i++) {
      const run = await rpc.request(JobSubjects.getRun, { runId });
      if (states.includes(run.state)) return run;
      await sleep(100);
    }
    throw new Error(`run ${runId} did not reach ${states.join('/')}`);
  };
  const output = async (run: Run, ending: string) => {
    const file = run.outputs.find((o) => o.name.endsWith(ending));
    assert.ok(file, `${run.id} has an output ending ${ending}: ${run.outputs.map((o) => o.name).join(', ')}`);
    return (await files.read(file.ref, 1024 ** 2)).toString('utf8');
  };
  const logs = async (runId: string) => (await rpc.request(JobSubjects.getLogs, { runId })).lines;

  before(async () => {
    stack = await startStack(['jobs', 'jobs-worker'], {
      'jobs-worker': { JOBS_ACK_WAIT_SECONDS: '10' },
      jobs: { JOBS_MAX_UNFINISHED_PER_OWNER: '3' },
    });
    nats = await connect({ servers: stack.env.NATS_URL });
    uploads = await TransferStore.open(nats, stack.env.TRANSFER_BUCKET, {
      maxBytes: Number(stack.env.TRANSFER_BUCKET_MAX_BYTES),
    });
    files = await openJobFiles(nats, {
      TRANSFER_BUCKET: stack.env.TRANSFER_BUCKET,
      JOB_FILES_MAX_BYTES: Number(stack.env.JOB_FILES_MAX_BYTES),
    });
    rpc = new RpcClient(nats, { timeoutMs: 10_000, subjectPrefix: stack.env.NATS_SUBJECT_PREFIX });
    dir = mkdtempSync(join(tmpdir(), 'jobs-'));
    writeFileSync(join(dir, 'jobs.yaml'), DEFINITIONS);
    firstLoad = (await loadDefinitions()) as typeof firstLoad;
  });
  after(async () => {
    for (const worker of extraWorkers) await worker.stop('SIGTERM').catch(() => undefined);
    await nats?.drain();
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the admin command loads definitions from YAML; loading again replaces them; a bad file is refused naming the job', async () => {
    const first = firstLoad;
    assert.equal(first.created, 9);
    const again = (await loadDefinitions()) as {
      created: number;
      replaced: number;
    };
    assert.deepEqual([again.created, again.replaced], [0, 9]);
    const definition = await rpc.request(JobSubjects.getDefinition, { name: 'count-lines' });
    assert.deepEqual(definition.steps[0].task.kind === 'executable' && definition.steps[0].task.command, [
      'sort',
      '$I1',
      '-o',
      '$O1',
    ]);
    writeFileSync(
      join(dir, 'bad.yaml'),
      '- name: broken\n  steps:\n    - order: 1\n      task: { kind: executable, name: x, command: [] }\n',
    );
    await assert.rejects(
      stack.cli('jobs', ['load-definitions', '--file', join(dir, 'bad.yaml')]),
      /job 1: steps\.0\.task\.command/,
    );
  });

  test("shipped analytics_automated jobs: kept current at start while they are Helixgate's, an operator's own of the name kept", async () => {
    const shipped = await rpc.request(JobSubjects.getDefinition, { name: 'fasta_stats' });
    assert.deepEqual(shipped.validators, ['nucleotide_fasta']);
    // An operator redefines psipred; an older release's fasta_stats is in the database.
    writeFileSync(
      join(dir, 'psipred.yaml'),
      '- name: psipred\n  description: the real one\n  steps:\n    - order: 1\n      task: { kind: builtin, name: run, builtin: noop }\n',
    );
    await stack.cli('jobs', ['load-definitions', '--file', join(dir, 'psipred.yaml')]);
    await stack.database('jobs', (db) =>
      db
        .collection('definitions')
        .updateOne({ _id: 'fasta_stats' as never }, { $set: { 'definition.description': 'an older release' } }),
    );
    await stack.restart('jobs');
    assert.equal((await rpc.request(JobSubjects.getDefinition, { name: 'psipred' })).description, 'the real one');
    assert.equal(
      (await rpc.request(JobSubjects.getDefinition, { name: 'fasta_stats' })).description,
      shipped.description,
    );
  });

  test('a run goes Submitted → Running → Complete: ordered and parallel steps, files passed on by ending, logs and outputs kept', async () => {
    const input = await upload('../../etc/passwd notes.txt', 'pear\napple\nfig\n');
    const submitted = await submit('count-lines', { inputs: [input], parameters: { lines: '2' } });
    assert.equal(submitted.state, 'Submitted');
    const run = await waitFor(submitted.id, ['Complete', 'Error']);
    assert.equal(run.state, 'Complete', run.message);
    assert.ok(run.startedAt && run.finishedAt && run.startedAt <= run.finishedAt);
    assert.equal(await output(run, '.sorted'), 'apple\nfig\npear\n');
    assert.equal(await output(run, '.head'), 'apple\nfig\n');
    assert.match(await output(run, '.count'), /^3 /);
    const lines = await logs(run.id);
    assert.ok(
      lines.some((l) => /step 1 \(sort\): sort \/\S+\/in1_passwd_notes\.txt -o /.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => / apple$/.test(l)),
      'stdout is in the log line by line',
    );
    assert.match(lines[lines.length - 1], /Complete: Completed job at step #2$/);
    const listed = await rpc.request(JobSubjects.listRuns, { owner: 'ada@example.org', job: 'count-lines' });
    assert.deepEqual(
      listed.map((r) => r.id),
      [run.id],
    );
  });

  test('values are arguments, never code: shell characters reach the program as text', async () => {
    const value = '$(touch /tmp/helixgate-pwned); rm -rf / `id` && echo "x" | cat';
    const run = await waitFor((await submit('echo-value', { parameters: { value } })).id, ['Complete', 'Error']);
    assert.equal(await output(run, '.said'), `${value}\n`);
  });

  test('a failing step ends the run in Error saying which step and why; a missing output too', async () => {
    const failed = await waitFor((await submit('fails')).id, ['Complete', 'Error']);
    assert.equal(failed.state, 'Error');
    assert.match(failed.message, /^step 1 \(list-missing\) exited with status 2: .*nonexistent-helixgate-path/);
    const lazy = await waitFor((await submit('missing-output')).id, ['Complete', 'Error']);
    assert.equal(lazy.state, 'Error');
    assert.match(lazy.message, /^step 1 \(lazy\) did not write \S+_lazy\.out$/);
  });

  test('limits: task environment only (no service secrets), custom exit status, output limit, time limit', async () => {
    const limited = await waitFor((await submit('limits')).id, ['Complete', 'Error']);
    assert.equal(await output(limited, '.env'), 'greeting=hello secret=undefined\n');
    assert.ok((await logs(limited.id)).some((l) => /exited with status 3 \(continuing, as the task says\)/.test(l)));
    assert.equal(limited.state, 'Error');
    assert.match(limited.message, /^step 2 \(chatty\) wrote more than 1000 bytes of output$/);
    const slow = await waitFor((await submit('too-slow')).id, ['Complete', 'Error']);
    assert.equal(slow.message, 'step 1 (forever) took longer than 1 s');
  });

  test('priorities: with the worker busy, a high-priority run queued after a low one starts first', async () => {
    const busy = await submit('sleeper');
    await waitFor(busy.id, ['Running']);
    const low = await rpc.request(JobSubjects.submitRun, { job: 'noop', owner: 'ada@example.org', priority: 'low' });
    const high = await rpc.request(JobSubjects.submitRun, { job: 'noop', owner: 'ada@example.org', priority: 'high' });
    await rpc.request(JobSubjects.cancelRun, { runId: busy.id });
    const [lowDone, highDone] = [await waitFor(low.id, ['Complete']), await waitFor(high.id, ['Complete'])];
    assert.ok(
      (highDone.startedAt ?? '') <= (lowDone.startedAt ?? ''),
      `high started ${highDone.startedAt}, low ${lowDone.startedAt}`,
    );
  });

  test('bad submissions: unknown job, unknown parameter, per-owner limit (403), another owner sees a 404', async () => {
    await assert.rejects(
      submit('nosuch'),
      (e: ServiceError) => e.status === 404 && /Job nosuch does not exist/.test(e.message),
    );
    await assert.rejects(
      submit('noop', { parameters: { nope: '1' } }),
      (e: ServiceError) => e.status === 400 && /no parameter nope/.test(e.message),
    );
    const owner = 'grace@example.org';
    const sleepers = await Promise.all([1, 2, 3].map(() => submit('sleeper', { owner })));
    await assert.rejects(
      submit('noop', { owner }),
      (e: ServiceError) => e.status === 403 && /Too many unfinished jobs/.test(e.message),
    );
    await assert.rejects(
      rpc.request(JobSubjects.getRun, { runId: sleepers[0].id, owner: 'ada@example.org' }),
      (e: ServiceError) => e.status === 404,
    );
    for (const s of sleepers) await rpc.request(JobSubjects.cancelRun, { runId: s.id, owner });
    const done = await waitFor((await submit('noop', { owner })).id, ['Complete', 'Error']);
    assert.equal(done.state, 'Complete');
  });

  test('cancelling a running run stops its worker, which then takes the next run', async () => {
    const sleeper = await submit('sleeper');
    await waitFor(sleeper.id, ['Running']);
    await sleep(1500);
    const cancelled = await rpc.request(JobSubjects.cancelRun, { runId: sleeper.id, owner: 'ada@example.org' });
    assert.deepEqual([cancelled.state, cancelled.message], ['Error', 'Cancelled']);
    const next = await waitFor((await submit('noop')).id, ['Complete', 'Error'], 20);
    assert.equal(next.state, 'Complete');
    assert.ok((await logs(sleeper.id)).some((l) => /slept 1 s/.test(l)));
    // Delete locks left by a process that died holding them (one of an earlier release, with no expiry) are swept.
    const left = [
      {
        _id: 'delete:left-behind',
        at: new Date(Date.now() - 120_000),
        expiresAt: new Date(Date.now() - 60_000),
        token: 'dead',
      },
      { _id: 'delete:left-by-earlier-release', at: new Date(Date.now() - 120_000) },
    ];
    await stack.database('jobs', (db) => db.collection('locks').insertMany(left as never[]));
    const deleted = await rpc.request(JobSubjects.deleteRun, { runId: sleeper.id, owner: 'ada@example.org' });
    assert.equal(deleted.deleted, true);
    assert.equal(await stack.database('jobs', (db) => db.collection('locks').countDocuments({})), 0);
    await assert.rejects(rpc.request(JobSubjects.getRun, { runId: sleeper.id }), (e: ServiceError) => e.status === 404);
  });

  test('a worker killed with SIGKILL mid-run: another takes the run over and it completes exactly once', async () => {
    extraWorkers.push(await startServiceProcess('jobs-worker', stack.envOf('jobs-worker')));
    const submitted = await submit('slow-write');
    await waitFor(submitted.id, ['Running']);
    // The attempt's log line is written just after the run turns Running.
    let first: string | undefined;
    for (const deadline = Date.now() + 30_000; !first && Date.now() < deadline;) {
      first = (await logs(submitted.id)).find((l) => / attempt 1 on /.test(l));
      if (!first) await sleep(100);
    }
    const pid = Number(/-(\d+)$/.exec(first ?? '')?.[1]);
    assert.ok(pid > 0, `the worker's pid is in the log: ${first}`);
    process.kill(pid, 'SIGKILL');
    const run = await waitFor(submitted.id, ['Complete', 'Error'], 90);
    assert.equal(run.state, 'Complete', run.message);
    assert.equal(await output(run, '.done'), `written by ${run.id}`);
    assert.equal(run.outputs.length, 1);
    const lines = await logs(run.id);
    assert.equal(lines.filter((l) => / attempt \d+ on /.test(l)).length, 2, lines.join('\n'));
    assert.ok(lines.some((l) => / attempt 2 on /.test(l) && !l.endsWith(`-${pid}`)));
    assert.equal(lines.filter((l) => /Complete: Completed job at step #1$/.test(l)).length, 1);
  });
});
