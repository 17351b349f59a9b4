import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

/**
 * BIGSdb's sequence query routes through the gateway, over the real PubMLST schemes and the real genomes of
 * ../shared/data with their known sequence types (data README), driven by the spec's curl command, the python
 * requests snippet PubMLST gives, and supertest. One worker and a queue of one, so overload is reachable.
 */
const run = promisify(execFile);
const NEISSERIA = 'pubmlst_neisseria_seqdef';
const SEPI = 'pubmlst_sepidermidis_seqdef';
const SHARED = join(repoRoot(), '..', 'shared', 'data');
const genome = (name: string) => join(SHARED, 'genomes', name);
const KNOWN: Record<string, { db: string; st: string; alleles: Record<string, string> }> = {
  'neisseria_A.fna': {
    db: NEISSERIA,
    st: '4',
    alleles: { abcZ: '1', adk: '3', aroE: '3', fumC: '1', gdh: '4', pdhC: '2', pgm: '3' },
  },
  'neisseria_B.fna': {
    db: NEISSERIA,
    st: '8',
    alleles: { abcZ: '2', adk: '3', aroE: '7', fumC: '2', gdh: '8', pdhC: '5', pgm: '2' },
  },
  'neisseria_W.fna': {
    db: NEISSERIA,
    st: '11',
    alleles: { abcZ: '2', adk: '3', aroE: '4', fumC: '3', gdh: '8', pdhC: '4', pgm: '6' },
  },
  'example.fna': {
    db: SEPI,
    st: '184',
    alleles: { arcC: '16', aroE: '1', gtr: '2', mutS: '1', pyrR: '2', tpiA: '1', yqiL: '1' },
  },
};
/** An allele's sequence from the scheme files. */
const allele = (scheme: string, locus: string, id: string) => {
  const lines = readFileSync(join(SHARED, 'pubmlst', scheme, `${locus}.tfa`), 'utf8').split('\n');
  return lines[lines.indexOf(`>${locus}_${id}`) + 1].trim();
};
const revcomp = (s: string) =>
  [...s]
    .reverse()
    .map((c) => ({ A: 'T', C: 'G', G: 'C', T: 'A' })[c] ?? c)
    .join('');
const base64File = (path: string) => readFileSync(path).toString('base64');

describe('BIGSdb sequence queries: typing genomes, loci and profiles', () => {
  let stack: Stack;
  const api = () => request(stack.baseUrl);
  const post = (path: string, body: unknown) =>
    api()
      .post(path)
      .set('Content-Type', 'application/json')
      .send(body as object);
  const bigsdbError = (res: request.Response, status: number, message: RegExp) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.status, status);
    assert.match(res.body.title, new RegExp(`^Error ${status} - `));
    assert.match(res.body.message, message);
    assert.doesNotMatch(JSON.stringify(res.body), /\bat \w+ \(|node_modules/);
  };

  before(async () => {
    // Typing a genome is CPU-bound: on a test machine busy with other files a query, or one waiting behind it, can
    // take longer than the gateway's 10 s default RPC timeout.
    stack = await startStack(['typing-db'], {
      'typing-db': { TYPING_QUERY_WORKERS: '1', TYPING_QUERY_QUEUE: '1' },
      gateway: { RPC_TIMEOUT_MS: '30000' },
    });
    for (const [db, scheme] of [
      [NEISSERIA, 'neisseria'],
      [SEPI, 'sepidermidis'],
    ]) {
      await stack.cli('typing-db', [
        'import-scheme',
        '--database',
        db,
        '--dir',
        join(SHARED, 'pubmlst', scheme),
        '--group',
        scheme,
      ]);
    }
  });
  after(async () => {
    await stack?.close();
  });

  test("the spec's curl command types each complete genome with its known sequence type", async () => {
    for (const [file, known] of Object.entries(KNOWN)) {
      const script = `(echo -n '{"base64":true,"sequence": "'; base64 "$GENOME"; echo '"}') | curl -s -H "Content-Type: application/json" -X POST "$URL" -d @-`;
      const { stdout } = await run('bash', ['-c', script], {
        env: { ...process.env, GENOME: genome(file), URL: `${stack.baseUrl}/db/${known.db}/schemes/1/sequence` },
        maxBuffer: 16 * 1024 ** 2,
      });
      const answer = JSON.parse(stdout) as {
        exact_matches: Record<string, Array<{ allele_id: string; href: string }>>;
        fields: Record<string, string>;
      };
      assert.equal(answer.fields.ST, known.st, `${file}: ${stdout.slice(0, 500)}`);
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(answer.exact_matches).map(([locus, hits]) => [locus, hits.map((h) => h.allele_id).join(',')]),
        ),
        known.alleles,
        file,
      );
      const [locus, hits] = Object.entries(answer.exact_matches)[0];
      assert.equal(hits[0].href, `${stack.baseUrl}/db/${known.db}/loci/${locus}/alleles/${hits[0].allele_id}`);
    }
  });

  test("the spec's designations example answers ST-11 and its clonal complex", async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-H',
      'Content-Type: application/json',
      '-X',
      'POST',
      `${stack.baseUrl}/db/${NEISSERIA}/schemes/1/designations`,
      '-d',
      '{"designations":{"abcZ":[{"allele":"2"}],"adk":[{"allele":"3"}],"aroE":[{"allele":"4"}],"fumC":[{"allele":"3"}],"gdh":[{"allele":"8"}],"pdhC":[{"allele":"4"}],"pgm":[{"allele":"6"}]}}',
    ]);
    const answer = JSON.parse(stdout);
    assert.deepEqual(answer.fields, { ST: '11', clonal_complex: 'ST-11 complex' });
    assert.deepEqual(answer.exact_matches.abcZ, [{ allele_id: '2' }]);
    assert.equal(Object.keys(answer.exact_matches).length, 7);
    // An incomplete profile gives no fields; an allele that is not defined is not echoed.
    const partial = await post(`/db/${NEISSERIA}/schemes/1/designations`, {
      designations: { abcZ: [{ allele: 2 }], adk: [{ allele: '999999' }] },
    });
    assert.equal(partial.status, 200);
    assert.deepEqual(partial.body, { exact_matches: { abcZ: [{ allele_id: '2' }] } });
    bigsdbError(
      await post(`/db/${NEISSERIA}/schemes/1/designations`, {}),
      400,
      /^Required field missing: designations\.$/,
    );
    bigsdbError(await post(`/db/${NEISSERIA}/schemes/1/designations`, { designations: { abcZ: 'two' } }), 400, /abcZ/);
    bigsdbError(
      await post(`/db/${NEISSERIA}/schemes/1/designations`, { designations: { nosuch: [{ allele: '1' }] } }),
      400,
      /^Locus nosuch does not exist\.$/,
    );
  });

  test("PubMLST's python requests snippet types a draft assembly with details and contig names", async () => {
    const script = [
      'import base64, json, sys, requests',
      'uri = sys.argv[1]',
      'with open(sys.argv[2], "r") as x:',
      '    fasta = x.read()',
      'payload = \'{"base64":true,"details":true,"sequence":"\' + base64.b64encode(fasta.encode()).decode() + \'"}\'',
      'response = requests.post(uri, data=payload)',
      'if response.status_code == requests.codes.ok:',
      '    data = response.json()',
      '    print(json.dumps({"st": data["fields"]["ST"], "matches": data["exact_matches"]}))',
      'else:',
      '    print(response.text)',
    ].join('\n');
    const { stdout } = await run('/usr/bin/python3', [
      '-c',
      script,
      `${stack.baseUrl}/db/${SEPI}/schemes/1/sequence`,
      genome('example.fna'),
    ]);
    const answer = JSON.parse(stdout) as { st: string; matches: Record<string, Array<Record<string, unknown>>> };
    assert.equal(answer.st, '184');
    for (const [locus, hits] of Object.entries(answer.matches)) {
      assert.equal(hits.length, 1, locus);
      const hit = hits[0];
      assert.deepEqual(
        Object.keys(hit).sort(),
        ['allele_id', 'contig', 'end', 'length', 'orientation', 'start'],
        'details carry no href',
      );
      assert.match(String(hit.contig), /^[^\s]+$/);
      assert.equal(Number(hit.end) - Number(hit.start) + 1, hit.length);
      assert.ok(hit.orientation === 'forward' || hit.orientation === 'reverse');
    }
  });

  test('one locus: exact matches on both strands, details without a contig for raw input, else the best match', async () => {
    const abcZ2 = allele('neisseria', 'abcZ', '2');
    const flank = 'ACGT'.repeat(25);
    const res = await post(`/db/${NEISSERIA}/loci/abcZ/sequence`, { sequence: abcZ2.toLowerCase() });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      exact_matches: [{ allele_id: '2', href: `${stack.baseUrl}/db/${NEISSERIA}/loci/abcZ/alleles/2` }],
    });
    const reverse = await post(`/db/${NEISSERIA}/loci/abcZ/sequence`, {
      sequence: revcomp(flank + abcZ2 + flank),
      details: true,
    });
    assert.deepEqual(reverse.body.exact_matches, [
      {
        allele_id: '2',
        href: `${stack.baseUrl}/db/${NEISSERIA}/loci/abcZ/alleles/2`,
        start: 101,
        end: 100 + abcZ2.length,
        length: abcZ2.length,
        orientation: 'reverse',
      },
    ]);
    // One substitution in the middle: no exact match, and the best match counts the mismatch (no href, as BIGSdb).
    const middle = Math.floor(abcZ2.length / 2);
    const mutated = abcZ2.slice(0, middle) + (abcZ2[middle] === 'A' ? 'C' : 'A') + abcZ2.slice(middle + 1);
    const fasta = `>contig_1 some description\n${flank}${mutated}${flank}\n`;
    const best = await post(`/db/${NEISSERIA}/loci/abcZ/sequence`, {
      sequence: Buffer.from(fasta).toString('base64'),
      base64: true,
    });
    assert.equal(best.status, 200);
    assert.deepEqual(best.body.exact_matches, []);
    const match = best.body.best_match;
    assert.equal(match.contig, 'contig_1');
    assert.equal(match.mismatches, 1);
    assert.equal(match.gaps, 0);
    assert.equal(match.length, abcZ2.length);
    assert.equal(match.alignment, abcZ2.length);
    assert.equal(match.identity, Math.round((100_000 * (abcZ2.length - 1)) / abcZ2.length) / 1000);
    assert.deepEqual([match.start, match.end, match.orientation], [101, 100 + abcZ2.length, 'forward']);
    assert.equal(match.href, undefined);
    // Nothing like the locus: no exact match and no best match.
    const none = await post(`/db/${NEISSERIA}/loci/abcZ/sequence`, { sequence: 'ACGT'.repeat(100) });
    assert.deepEqual(none.body, { exact_matches: [] });
  });

  test('all loci: exact matches as an object by locus, empty when nothing matches', async () => {
    const res = await post(`/db/${SEPI}/sequence`, { sequence: base64File(genome('example.fna')), base64: true });
    assert.equal(res.status, 200);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(res.body.exact_matches as Record<string, Array<{ allele_id: string }>>).map(([l, h]) => [
          l,
          h.map((x) => x.allele_id).join(','),
        ]),
      ),
      KNOWN['example.fna'].alleles,
    );
    const none = await post(`/db/${SEPI}/sequence`, { sequence: base64File(genome('none.fa')), base64: true });
    assert.deepEqual(none.body, { exact_matches: {} });
    const scheme = await post(`/db/${SEPI}/schemes/1/sequence`, {
      sequence: base64File(genome('none.fa')),
      base64: true,
    });
    assert.deepEqual(scheme.body, {}, 'the scheme route leaves out empty exact_matches and fields');
  });

  test('scheme route: partial_matches for a locus with a novel allele, and no ST', async () => {
    const gtr = allele('sepidermidis', 'gtr', '2');
    const variant = gtr.slice(0, 100) + (gtr[100] === 'G' ? 'T' : 'G') + gtr.slice(101);
    const others = Object.entries(KNOWN['example.fna'].alleles)
      .filter(([l]) => l !== 'gtr')
      .map(([l, id]) => `>${l}\n${allele('sepidermidis', l, id)}\n`)
      .join('');
    const fasta = `${others}>novel_gtr\n${'T'.repeat(50)}${variant}${'T'.repeat(50)}\n`;
    const res = await post(`/db/${SEPI}/schemes/1/sequence`, {
      sequence: Buffer.from(fasta).toString('base64'),
      base64: true,
      partial_matches: true,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.fields, undefined, 'a missing locus gives no profile');
    assert.equal(Object.keys(res.body.exact_matches).length, 6);
    const partial = res.body.partial_matches.gtr;
    assert.equal(partial.locus, 'gtr');
    assert.equal(partial.query, 'novel_gtr');
    assert.equal(partial.mismatches, 1);
    assert.equal(partial.alignment, gtr.length);
    assert.deepEqual([partial.predicted_start, partial.predicted_end], [51, 50 + gtr.length]);
    assert.equal(partial.sequence, variant);
    assert.equal(partial.flanking_sequence, `${'T'.repeat(50)}${variant}${'T'.repeat(50)}`);
  });

  test('an allele added to the database is found by the next query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sepi-'));
    try {
      cpSync(join(SHARED, 'pubmlst', 'sepidermidis'), dir, { recursive: true });
      const arcC = allele('sepidermidis', 'arcC', '16');
      const novel = arcC.slice(0, 200) + (arcC[200] === 'A' ? 'G' : 'A') + arcC.slice(201);
      const before = await post(`/db/${SEPI}/loci/arcC/sequence`, { sequence: novel });
      assert.deepEqual(before.body.exact_matches, []);
      assert.equal(before.body.best_match.mismatches, 1);
      appendFileSync(join(dir, 'arcC.tfa'), `>arcC_99999\n${novel}\n`);
      await stack.cli('typing-db', ['import-scheme', '--database', SEPI, '--dir', dir, '--group', 'sepidermidis']);
      const afterImport = await post(`/db/${SEPI}/loci/arcC/sequence`, { sequence: novel });
      assert.deepEqual(
        afterImport.body.exact_matches.map((m: { allele_id: string }) => m.allele_id),
        ['99999'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad input gets a clear 400 in BIGSdb format, and the service keeps answering', async () => {
    const locus = `/db/${SEPI}/loci/arcC/sequence`;
    bigsdbError(await post(locus, {}), 400, /^Required field missing: sequence\.$/);
    bigsdbError(await post(locus, { sequence: '' }), 400, /^Required field missing: sequence\.$/);
    bigsdbError(
      await post(locus, { sequence: base64File(genome('null.fa')), base64: true }),
      400,
      /^Required field missing: sequence\.$/,
    );
    bigsdbError(
      await post(locus, { sequence: base64File(genome('empty.fa')), base64: true }),
      400,
      /^Sequence is not a valid FASTA file: record empty_seq has no sequence\.$/,
    );
    bigsdbError(await post(locus, { sequence: 'not base64 at all!', base64: true }), 400, /not valid base64/);
    bigsdbError(
      await post(locus, { sequence: Buffer.from('ACGTACGT\n').toString('base64'), base64: true }),
      400,
      /^Sequence is not a valid FASTA file\.$/,
    );
    bigsdbError(
      await post(locus, { sequence: 'ACGT<script>alert(1)</script>' }),
      400,
      /not a nucleotide or amino acid/,
    );
    bigsdbError(await post(locus, { sequence: 'MKVLAAGIVALLLAAGCSSHHHHHHKLMNPQRS' }), 400, /peptide/);
    bigsdbError(await post(locus, { sequence: ['ACGT'] }), 400, /^Sequence must be a string\.$/);
    bigsdbError(
      await api().post(locus).set('Content-Type', 'application/json').send('{"sequence": "ACGT"'),
      400,
      /^Malformed request$/,
    );
    bigsdbError(
      await post(`/db/${SEPI}/loci/nosuch/sequence`, { sequence: 'ACGT' }),
      404,
      /^Locus nosuch does not exist\.$/,
    );
    bigsdbError(
      await post(`/db/${SEPI}/schemes/77/sequence`, { sequence: 'ACGT' }),
      404,
      /^Scheme 77 does not exist\.$/,
    );
    bigsdbError(
      await post(`/db/${SEPI}/schemes/x'1/sequence`, { sequence: 'ACGT' }),
      400,
      /^Scheme id must be an integer\.$/,
    );
    bigsdbError(
      await post(`/db/nosuch_db/sequence`, { sequence: 'ACGT' }),
      404,
      /^Database nosuch_db has not been defined$/,
    );
    const tooMany = Array.from({ length: 5001 }, (_, i) => `>r${i}\nACGT\n`).join('');
    bigsdbError(
      await post(`/db/${SEPI}/schemes/1/sequence`, { sequence: tooMany }),
      413,
      /^Query contains too many sequences - limit is 5000\.$/,
    );
    // 40 MB with its length declared: refused before it is read, with Dancer2's text.
    const curlUpload = async (headers: string) =>
      JSON.parse(
        (
          await run(
            'bash',
            [
              '-c',
              `(printf '{"sequence":"'; head -c ${40 * 1024 ** 2} /dev/zero | tr '\\0' 'A'; printf '"}') | curl -s ${headers} -H 'Content-Type: application/json' -X POST --data-binary @- "${stack.baseUrl}${locus}"`,
            ],
            {
              maxBuffer: 1024 ** 2,
            },
          )
        ).stdout,
      ) as { status: number; message: string };
    assert.deepEqual(await curlUpload(''), {
      status: 413,
      title: 'Error 413 - Payload Too Large',
      message: 'POST body is too large (40.0 MB) - limit is 32 MB',
    });
    // Sent in chunks without a length: cut off at the limit as it streams into the object store.
    assert.deepEqual(await curlUpload("-H 'Transfer-Encoding: chunked'"), {
      status: 413,
      title: 'Error 413 - Payload Too Large',
      message: 'POST body is too large - limit is 32 MB',
    });
    const still = await post(`/db/${SEPI}/schemes/1/sequence`, {
      sequence: base64File(genome('example.fna')),
      base64: true,
    });
    assert.equal(still.body.fields.ST, '184');
  });

  test('past one running and one waiting query, the service answers 503 "Server is too busy" and recovers', async () => {
    const body = { sequence: base64File(genome('neisseria_W.fna')), base64: true };
    // Whether a burst finds the queue full depends on how its uploads interleave: burst again (a few times at most).
    const answers: Awaited<ReturnType<typeof post>>[] = [];
    for (let burst = 0; burst < 5 && !answers.some((r) => r.status === 503); burst += 1) {
      answers.push(
        ...(await Promise.all(Array.from({ length: 16 }, () => post(`/db/${NEISSERIA}/schemes/1/sequence`, body)))),
      );
    }
    const busy = answers.filter((r) => r.status === 503);
    const typed = answers.filter((r) => r.status === 200);
    assert.equal(busy.length + typed.length, answers.length, answers.map((r) => r.status).join(','));
    assert.ok(busy.length >= 1, 'some queries were refused');
    assert.ok(typed.length >= 1, 'some queries were typed');
    for (const r of busy) bigsdbError(r, 503, /^Server is too busy\. Please try again later\.$/);
    for (const r of typed) assert.equal(r.body.fields.ST, '11');
    const afterwards = await post(`/db/${NEISSERIA}/schemes/1/sequence`, body);
    assert.equal(afterwards.body.fields.ST, '11');
  });
});
