import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  NoAnswer,
  oauthHeader,
  oauthSession,
  type OAuthClientCredentials,
  type OAuthToken,
  rawRequest,
  readPubmlstScheme,
  repoRoot,
  type Stack,
  startStack,
} from '@helixgate/testing';
import { type CaseContext, type Family, type HostileCase, hostileCases, multipart } from './hostile/cases';

/**
 * The hostile-input suite: over a thousand generated requests across every family (pATLAS, BIGSdb reads, sequence
 * queries, OAuth, BIGSdb submissions, analytics_automated, CGI, accounts and admin) against one real stack. Each must
 * get a 4xx in its family's error format (or, where the value may still be valid, a 2xx), never a 5xx, a stack trace
 * or a hang; after each batch every process is alive and healthy; canary records made first are intact at the end.
 */
const SEQDEF = 'pubmlst_neisseria_seqdef';
const ISOLATES = 'pubmlst_neisseria_isolates';
const SHARED = join(repoRoot(), '..', 'shared', 'data');
const SEED = join(repoRoot(), 'deploy', 'local', 'seed', ISOLATES);
const PASSWORD = 'a perfectly long password';
const SERVICES = ['auth', 'results-import', 'typing-db', 'jobs', 'jobs-worker', 'submissions'];
const CONCURRENCY = 8;

interface Outcome {
  tried: number;
  success: number;
  clientError: number;
  serverError: number;
  hangs: number;
  closed: number;
  wrongFormat: number;
  crashes: number;
}

const STACK_TRACE = /\n\s+at \S+ \(|node_modules|\bat (?:async )?\w+ \(\/|Error: .*\n\s+at /;

/** Whether a 4xx body is in the family's own error format; the reason when it is not. */
function formatProblem(
  family: Family,
  path: string,
  status: number,
  contentType: string,
  body: string,
): string | undefined {
  if (STACK_TRACE.test(body)) return 'a stack trace in the body';
  // The browser login form answers with its page again, saying what was wrong.
  if (path.startsWith('/auth/login') && contentType.startsWith('text/html')) return undefined;
  if (family === 'patlas') {
    // pATLAS errors are plain text; an unknown link is a page, or JSON {status, message} when JSON was asked for.
    if (contentType.startsWith('text/html'))
      return /<script>alert|<img src=x/.test(body) ? 'a client value rendered unescaped' : undefined;
    if (contentType.startsWith('application/json')) {
      const value = JSON.parse(body) as { status?: unknown; message?: unknown };
      return value.status === status && typeof value.message === 'string'
        ? undefined
        : `not the link's JSON error: ${body.slice(0, 160)}`;
    }
    if (!contentType.startsWith('text/plain')) return `pATLAS errors are text/plain, got ${contentType}`;
    return body.length > 0 ? undefined : 'an empty pATLAS error';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 120)}`;
  }
  const value = parsed as Record<string, unknown>;
  switch (family) {
    case 'bigsdb':
      if (
        value.status !== status ||
        typeof value.message !== 'string' ||
        !String(value.title).startsWith(`Error ${status} - `)
      )
        return `not BIGSdb's error shape: ${body.slice(0, 160)}`;
      return undefined;
    case 'cgi':
      if (value.error_code !== status || typeof value.message !== 'string')
        return `not CGI's error shape: ${body.slice(0, 160)}`;
      return undefined;
    case 'analytics_automated':
      if (!('error' in value) && !('detail' in value))
        return `not analytics_automated's error shape: ${body.slice(0, 160)}`;
      return undefined;
  }
}

describe('hostile input: nothing a client sends takes Helixgate down', () => {
  let stack: Stack;
  let ctx: CaseContext;
  let client: OAuthClientCredentials;
  let session: OAuthToken;
  const totals: Outcome = {
    tried: 0,
    success: 0,
    clientError: 0,
    serverError: 0,
    hangs: 0,
    closed: 0,
    wrongFormat: 0,
    crashes: 0,
  };
  const canaries: { resultsLink?: string; resultsDocument?: unknown; cgiJob?: string; submission?: string } = {};

  const call = async (method: string, path: string, headers: Record<string, string>, body?: string | Buffer) => {
    const res = await fetch(`${stack.baseUrl}${path}`, { method, headers, body });
    return { status: res.status, text: await res.text() };
  };

  before(async () => {
    stack = await startStack(SERVICES, { gateway: { RPC_TIMEOUT_MS: '20000' } });
    await stack.cli('typing-db', [
      'import-scheme',
      '--database',
      SEQDEF,
      '--dir',
      join(SHARED, 'pubmlst', 'neisseria'),
      '--group',
      'neisseria',
    ]);
    await stack.cli('typing-db', [
      'import-isolates',
      '--database',
      ISOLATES,
      '--seqdef',
      SEQDEF,
      '--group',
      'neisseria',
      '--fields',
      join(SEED, 'fields.json'),
      '--file',
      join(SEED, 'isolates.tsv'),
      '--contigs-dir',
      join(SHARED, 'genomes'),
    ]);
    for (const who of ['hostile', 'canary']) {
      await stack.cli('auth', [
        'create-account',
        '--email',
        `${who}@example.org`,
        '--first-name',
        who,
        '--surname',
        'Tester',
        '--password',
        PASSWORD,
      ]);
    }
    client = (await stack.cli('auth', [
      'create-client',
      '--name',
      'Hostile client',
      '--submission-database',
      SEQDEF,
      '--submission-database',
      ISOLATES,
    ])) as OAuthClientCredentials;
    session = await oauthSession(stack.baseUrl, client, SEQDEF, { email: 'hostile@example.org', password: PASSWORD });
    const basic = (email: string) => `Basic ${Buffer.from(`${email}:${PASSWORD}`).toString('base64')}`;
    const token = async (email: string) => {
      const res = await call(
        'POST',
        '/auth/tokens',
        { Authorization: basic(email), 'Content-Type': 'application/json' },
        '{"label":"hostile"}',
      );
      assert.equal(res.status, 201, res.text);
      return `${email} ${(JSON.parse(res.text) as { token: string }).token}`;
    };
    const cgiAuth = await token('hostile@example.org');
    const canaryAuth = await token('canary@example.org');

    // Canaries, made before anything hostile is sent and read back at the end.
    canaries.resultsDocument = { type: 'mapping', samples: { canary: { NZ_CP015088_1: 0.68, NC_019983_1: 0.61 } } };
    const posted = await call(
      'POST',
      '/results/',
      { 'Content-Type': 'application/json' },
      JSON.stringify(canaries.resultsDocument),
    );
    assert.equal(posted.status, 200, posted.text);
    canaries.resultsLink = new URL(posted.text.trim()).search;
    const b = 'canaryBoundary';
    const form = multipart(b, [
      { headers: ['Content-Disposition: form-data; name="cancer_type"'], body: 'CM' },
      { headers: ['Content-Disposition: form-data; name="title"'], body: 'canary' },
      {
        headers: ['Content-Disposition: form-data; name="mutations"; filename="mutations.tsv"'],
        body: 'sample\tprotein\nS1\tBRAF:p.V600E\n',
      },
    ]);
    const launched = await call(
      'POST',
      '/api/v1',
      { Authorization: canaryAuth, 'Content-Type': `multipart/form-data; boundary=${b}` },
      form,
    );
    assert.equal(launched.status, 200, launched.text);
    canaries.cgiJob = JSON.parse(launched.text) as string;
    const abcZ = readPubmlstScheme(join(SHARED, 'pubmlst', 'neisseria')).find((l) => l.name === 'abcZ')!.alleles;
    const known = new Set(abcZ.map((a) => a.sequence));
    const base = abcZ.find((a) => a.id === '2')!.sequence;
    const variant = [...base].map((c, n) => (n === 77 ? (c === 'A' ? 'C' : 'A') : c)).join('');
    assert.ok(!known.has(variant));
    const submissionsUrl = `${stack.baseUrl}/db/${SEQDEF}/submissions`;
    const created = await call(
      'POST',
      `/db/${SEQDEF}/submissions`,
      { Authorization: oauthHeader(client, 'POST', submissionsUrl, {}, session), 'Content-Type': 'application/json' },
      JSON.stringify({
        type: 'alleles',
        locus: 'abcZ',
        technology: 'Sanger',
        assembly: 'de novo',
        software: 'Staden',
        sequences: `>canary\n${variant}`,
      }),
    );
    assert.equal(created.status, 201, created.text);
    canaries.submission = (JSON.parse(created.text) as { submission: string }).submission.split('/').pop();

    ctx = {
      seqdef: SEQDEF,
      isolates: ISOLATES,
      cgiAuth,
      basicAuth: basic('hostile@example.org'),
      cgiJobId: canaries.cgiJob,
      submissionId: canaries.submission!,
      sign: (method, url, query = {}) => oauthHeader(client, method, url, query, session),
      signConsumer: (method, url, extra, forgedSecret) =>
        oauthHeader(forgedSecret ? { ...client, consumerSecret: forgedSecret } : client, method, url, extra),
      consumerKey: client.consumerKey,
      baseUrl: stack.baseUrl,
    };
  });

  after(async () => {
    console.log(
      `hostile input: ${totals.tried} cases tried: ${totals.clientError} answered 4xx, ${totals.success} 2xx, ` +
        `${totals.serverError} 5xx, ${totals.wrongFormat} not in the family's format, ${totals.hangs} hangs, ${totals.closed} closed without an answer, ${totals.crashes} process crashes`,
    );
    await stack?.close();
  });

  /** Sends one case and returns what was wrong with the answer, if anything. */
  const runCase = async (c: HostileCase): Promise<string | undefined> => {
    totals.tried += 1;
    let res;
    try {
      res = await rawRequest(stack.baseUrl, c, 20_000);
    } catch (error) {
      if (error instanceof NoAnswer) {
        if (error.kind === 'hang') totals.hangs += 1;
        else totals.closed += 1;
        return `${error.kind}: ${error.message}`;
      }
      throw error;
    }
    const body = res.body.toString('utf8');
    if (res.status >= 500) {
      totals.serverError += 1;
      return `${res.status}: ${body.slice(0, 200)}`;
    }
    if (res.status < 400) totals.success += 1;
    else totals.clientError += 1;
    if (c.statuses && !c.statuses.includes(res.status))
      return `status ${res.status}, expected ${c.statuses.join('|')}: ${body.slice(0, 160)}`;
    if (c.expect === 'error' && res.status < 400) return `status ${res.status}, expected a 4xx: ${body.slice(0, 160)}`;
    if (res.status >= 400) {
      const problem = formatProblem(c.family, c.path, res.status, res.headers.get('content-type') ?? '', body);
      if (problem) {
        totals.wrongFormat += 1;
        return `${res.status} ${problem}`;
      }
    } else if (STACK_TRACE.test(body)) return 'a stack trace in a success body';
    return undefined;
  };

  const healthy = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const name of [...SERVICES, 'gateway']) {
      const process = stack.process(name);
      if (process.child.exitCode !== null || process.child.signalCode !== null) {
        problems.push(
          `${name} exited (${process.child.exitCode ?? process.child.signalCode}):\n${process.output().slice(-1500)}`,
        );
        continue;
      }
      const res = await fetch(`http://127.0.0.1:${process.opsPort}/healthz`, {
        signal: AbortSignal.timeout(5000),
      }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      if (res instanceof Error || res.status !== 200)
        problems.push(`${name} /healthz: ${res instanceof Error ? res.message : res.status}`);
    }
    return problems;
  };

  const batches = () => hostileCases(ctx);
  const only = process.env.HOSTILE_BATCHES?.split(','); // while working on one family: HOSTILE_BATCHES=OAuth,CGI
  for (const name of [
    'pATLAS',
    'BIGSdb reads',
    'sequence queries',
    'isolates/search',
    'OAuth',
    'BIGSdb submissions',
    'analytics_automated',
    'CGI',
    'accounts and admin',
  ]) {
    test(
      `${name}: every case answered in the family's format, no 5xx, no hang; every process healthy after`,
      { skip: only && !only.includes(name) },
      async () => {
        // Made when the batch runs, so that signed cases carry a fresh timestamp.
        const cases = batches().find((b) => b.batch === name)!.cases;
        assert.ok(cases.length > 0);
        const failures: string[] = [];
        const parallel = cases.filter((c) => !c.ordered);
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < parallel.length) {
              const c = parallel[next++];
              const problem = await runCase(c);
              if (problem) failures.push(`[${c.group}] ${c.name} (${c.method} ${c.path.slice(0, 80)}): ${problem}`);
            }
          }),
        );
        for (const c of cases.filter((c) => c.ordered)) {
          const problem = await runCase(c);
          if (problem) failures.push(`[${c.group}] ${c.name} (${c.method} ${c.path.slice(0, 80)}): ${problem}`);
        }
        const unhealthy = await healthy();
        // A crash fails this batch; the process is started again so that the batches after it are still judged.
        for (const dead of [...SERVICES, 'gateway'].filter(
          (n) => stack.process(n).child.exitCode !== null || stack.process(n).child.signalCode !== null,
        )) {
          totals.crashes += 1;
          await stack.restart(dead);
        }
        assert.deepEqual(unhealthy, [], `processes unhealthy after the ${name} batch:\n${unhealthy.join('\n')}`);
        assert.deepEqual(
          failures.slice(0, 40),
          [],
          `${failures.length} of ${cases.length} ${name} cases failed:\n${failures.slice(0, 40).join('\n')}`,
        );
      },
    );
  }

  test('over a thousand cases were tried', () => {
    const count = hostileCases(ctx).reduce((sum, b) => sum + b.cases.length, 0);
    assert.ok(count >= 1000, `only ${count} cases`);
  });

  test('the canaries are intact: the results document, the CGI job, the BIGSdb submission; nothing polluted', async () => {
    const results = await call('GET', `/results${canaries.resultsLink}&format=json`, {});
    assert.equal(results.status, 200, results.text);
    const document = JSON.parse(results.text) as { type: string; samples: unknown };
    assert.deepEqual({ type: document.type, samples: document.samples }, canaries.resultsDocument);

    const canaryAuth = async () => {
      const res = await call(
        'POST',
        '/auth/tokens',
        {
          Authorization: `Basic ${Buffer.from(`canary@example.org:${PASSWORD}`).toString('base64')}`,
          'Content-Type': 'application/json',
        },
        '{"label":"check"}',
      );
      return `canary@example.org ${(JSON.parse(res.text) as { token: string }).token}`;
    };
    const auth = await canaryAuth();
    const job = await call('GET', `/api/v1/${canaries.cgiJob}`, { Authorization: auth });
    assert.equal(job.status, 200, job.text);
    assert.equal((JSON.parse(job.text) as { metadata: { title: string } }).metadata.title, 'canary');
    const list = await call('GET', '/api/v1', { Authorization: auth });
    assert.deepEqual(JSON.parse(list.text), [canaries.cgiJob]);

    const path = `/db/${SEQDEF}/submissions/${canaries.submission}`;
    const submission = await call('GET', path, {
      Authorization: oauthHeader(client, 'GET', `${stack.baseUrl}${path}`, {}, session),
    });
    assert.equal(submission.status, 200, submission.text);
    const record = JSON.parse(submission.text) as { type: string; seqs: Array<{ seq_id: string; status: string }> };
    assert.equal(record.type, 'alleles');
    assert.deepEqual(
      record.seqs.map((s) => [s.seq_id, s.status]),
      [['canary', 'pending']],
    );

    // typing-db still answers searches correctly (no prototype pollution changed its behaviour).
    const search = await call(
      'POST',
      `/db/${ISOLATES}/isolates/search`,
      { 'Content-Type': 'application/json' },
      '{"field.continent":"africa","scheme.1.ST":4}',
    );
    assert.equal(search.status, 200, search.text);
    assert.equal((JSON.parse(search.text) as { records: number }).records, 1);
    assert.deepEqual(await healthy(), []);
  });
});
