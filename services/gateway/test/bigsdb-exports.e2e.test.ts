import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';

/**
 * Exports stream from typing-db to the client as they are read (libs/platform ByteStream): an isolate with 32 MB of
 * contigs, far more than every buffer between typing-db and the client holds, so a client that stops reading holds
 * typing-db's read where it is. The gateway waits RPC_TIMEOUT_MS for a reply: here 2 s, and the export outlives it.
 * Nothing here measures time; typing-db's /metrics says whether its stream is still being sent.
 */
const RPC_TIMEOUT_MS = 2_000;
const SEQDEF = 'pubmlst_sepidermidis_seqdef';
const ISOLATES = 'export_test_isolates';
const CONTIGS = 32;
const CONTIG_BASES = 1024 * 1024;
const SHARED = join(repoRoot(), '..', 'shared', 'data');
const FIELDS = join(repoRoot(), 'deploy', 'local', 'seed', 'pubmlst_neisseria_isolates', 'fields.json');
const EXPORT = `/db/${ISOLATES}/isolates/1/contigs_fasta`;

/** Seeded bases (xorshift), the same in every run. */
function contigs(): string[] {
  let state = 0x9e3779b9;
  return Array.from({ length: CONTIGS }, () => {
    const bases = Buffer.alloc(CONTIG_BASES);
    for (let i = 0; i < CONTIG_BASES; i += 1) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bases[i] = 'ACGT'.charCodeAt(state & 3);
    }
    return bases.toString('latin1');
  });
}

/** A GET whose body the test reads when it wants: the response, paused, as soon as its headers are in. */
function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      res.pause();
      resolve(res);
    });
    req.on('error', reject);
  });
}

/** The first bytes of a paused response, read without letting it flow. */
function firstBytes(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const take = () => {
      const chunk = res.read() as Buffer | null;
      if (chunk) {
        res.off('readable', take);
        resolve(chunk);
      }
    };
    res.on('readable', take);
    res.once('error', reject);
    take();
  });
}

/** The rest of a response: its bytes, and whether it ended (a complete body) or was cut off (aborted). */
function rest(res: IncomingMessage): Promise<{ body: Buffer; ended: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve({ body: Buffer.concat(chunks), ended: res.complete }));
    res.once('error', () => resolve({ body: Buffer.concat(chunks), ended: false }));
    res.once('aborted', () => resolve({ body: Buffer.concat(chunks), ended: false }));
    res.resume();
  });
}

describe('exports stream from typing-db as they are read', () => {
  let stack: Stack;
  let expected: Buffer;

  /** A counter or gauge of typing-db's byte streams, for the contigs_fasta handler. */
  const streamMetric = async (metric: string, outcome?: string): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${stack.process('typing-db').opsPort}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith(`${metric}{`) &&
          l.includes('handler="contigsFasta"') &&
          (!outcome || l.includes(`outcome="${outcome}"`)),
      );
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const active = () => streamMetric('helixgate_byte_streams_active');
  const ended = (outcome: string) => streamMetric('helixgate_byte_streams_total', outcome);
  /** Waits (polling typing-db's metrics) until check holds; fails after a generous bound, never on a slow machine. */
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i += 1) {
      if (await check()) return;
      await sleep(100);
    }
    assert.fail(`typing-db never reported ${what}`);
  };

  before(async () => {
    stack = await startStack(['typing-db'], { gateway: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) } });
    await stack.cli('typing-db', [
      'import-scheme',
      '--database',
      SEQDEF,
      '--dir',
      join(SHARED, 'pubmlst', 'sepidermidis'),
      '--group',
      'sepidermidis',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'exports-'));
    writeFileSync(join(dir, 'isolates.tsv'), 'isolate\tspecies\nBIG-1\tNeisseria meningitidis\n');
    const sequences = contigs();
    writeFileSync(join(dir, 'big.fa'), sequences.map((s, i) => `>contig_${i + 1}\n${s}\n`).join(''));
    expected = Buffer.from(sequences.map((s, i) => `>${i + 1}\n${s}\n`).join(''));
    await stack.cli('typing-db', [
      'import-isolates',
      '--database',
      ISOLATES,
      '--seqdef',
      SEQDEF,
      '--group',
      'test',
      '--fields',
      FIELDS,
      '--file',
      join(dir, 'isolates.tsv'),
    ]);
    await stack.cli('typing-db', [
      'import-contigs',
      '--database',
      ISOLATES,
      '--isolate-id',
      '1',
      '--file',
      join(dir, 'big.fa'),
    ]);
  });
  after(async () => {
    await stack?.close();
  });

  test('the first bytes arrive while typing-db is still reading; paused past RPC_TIMEOUT_MS, the export still completes', async () => {
    const res = await open(`${stack.baseUrl}${EXPORT}`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    const first = await firstBytes(res);
    assert.ok(expected.subarray(0, first.length).equals(first), 'the first bytes are the start of the FASTA');
    // typing-db has sent no more than the client's window: its stream is still open, its read unfinished.
    assert.equal(await active(), 1);
    await sleep(RPC_TIMEOUT_MS * 2.5);
    assert.equal(await active(), 1, 'a client that stops reading holds the stream; nothing times it out');
    const { body, ended: complete } = await rest(res);
    assert.ok(complete, 'the response ended, not cut off');
    const whole = Buffer.concat([first, body]);
    assert.equal(whole.length, expected.length);
    assert.equal(createHash('sha256').update(whole).digest('hex'), createHash('sha256').update(expected).digest('hex'));
    await eventually(async () => (await active()) === 0 && (await ended('completed')) >= 1, 'the stream completed');
  });

  test('a client that goes away stops typing-db reading the export', async () => {
    const cancelled = await ended('cancelled');
    const res = await open(`${stack.baseUrl}${EXPORT}`);
    await firstBytes(res);
    assert.equal(await active(), 1);
    res.socket.destroy();
    await eventually(
      async () => (await active()) === 0 && (await ended('cancelled')) === cancelled + 1,
      'the stream cancelled',
    );
  });

  test('errors before the first byte keep their status and BIGSdb body', async () => {
    const missing = await fetch(`${stack.baseUrl}/db/${ISOLATES}/isolates/999/contigs_fasta`);
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as { status: number; title: string; message: string };
    assert.deepEqual([body.status, body.title], [404, 'Error 404 - Not Found']);
    const locus = await fetch(`${stack.baseUrl}/db/${SEQDEF}/loci/nope/alleles_fasta`);
    assert.equal(locus.status, 404);
    assert.equal(((await locus.json()) as { message: string }).message, 'Locus nope does not exist.');
  });

  test('typing-db gone after the first byte: the response is cut off, never a body that looks complete', async () => {
    const res = await open(`${stack.baseUrl}${EXPORT}`);
    const first = await firstBytes(res);
    await stack.stop('typing-db', 'SIGKILL');
    const { body, ended: complete } = await rest(res);
    assert.equal(complete, false);
    assert.ok(first.length + body.length < expected.length);
    await stack.restart('typing-db');
  });
});
