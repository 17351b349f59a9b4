import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { crc32, crc32Table, zipFiles } from '../src/zip';

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const HAS_UNZIP = has('unzip', ['-v']);
const HAS_PYTHON = has('python3', ['-c', 'import zipfile']);

const dir = mkdtempSync(join(tmpdir(), 'cgi-zip-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(zip: Buffer): string {
  const path = join(dir, `t${++n}.zip`);
  writeFileSync(path, zip);
  return path;
}

// Incompressible but deterministic bytes: a SHA-256 chain.
const binary = new Uint8Array(
  Buffer.concat(Array.from({ length: 100 }, (_, i) => createHash('sha256').update(`block ${i}`).digest())),
);
const files = [
  { name: 'alterations.tsv', content: 'Input ID\tCGI-Gene\n' + 'input01_1\tBRAF\n'.repeat(200) },
  { name: 'biomarkers.tsv', content: 'Sample ID\tDrugs\nS1\tVemurafenib, Dabrafenib — ü\n' },
  { name: 'empty.txt', content: '' },
  { name: 'tiny.txt', content: 'x' },
  { name: 'data.bin', content: binary },
  { name: 'summary.txt', content: '=== Summary of the analysis ===\n' },
];

describe('zip', () => {
  test('CRC-32: check value, and the table agrees with zlib', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32Table(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32Table(new Uint8Array()), 0);
    assert.equal(crc32Table(binary), crc32(binary));
  });

  test('structure: local headers, central directory, end record; deflate only when smaller', () => {
    const zip = zipFiles(files);
    assert.equal(zip.readUInt32LE(0), 0x04034b50);
    const end = zip.length - 22;
    assert.equal(zip.readUInt32LE(end), 0x06054b50);
    assert.equal(zip.readUInt16LE(end + 8), files.length);
    const cdSize = zip.readUInt32LE(end + 12);
    const cdOffset = zip.readUInt32LE(end + 16);
    assert.equal(cdOffset + cdSize, end);
    const methods: Record<string, number> = {};
    let p = cdOffset;
    for (let i = 0; i < files.length; i++) {
      assert.equal(zip.readUInt32LE(p), 0x02014b50);
      const nameLength = zip.readUInt16LE(p + 28);
      methods[zip.subarray(p + 46, p + 46 + nameLength).toString('ascii')] = zip.readUInt16LE(p + 10);
      p += 46 + nameLength;
    }
    assert.equal(methods['alterations.tsv'], 8, 'deflated');
    assert.equal(methods['empty.txt'], 0, 'stored: deflate would grow it');
    assert.equal(methods['tiny.txt'], 0);
    assert.equal(methods['data.bin'], 0);
  });

  test('deterministic; a given modification time is stored', () => {
    assert.deepEqual(zipFiles(files), zipFiles(files));
    const dated = zipFiles([{ name: 'a.txt', content: 'a' }], { modified: new Date(2024, 4, 17, 13, 45, 31) });
    assert.equal(dated.readUInt16LE(10), (13 << 11) | (45 << 5) | 15);
    assert.equal(dated.readUInt16LE(12), (44 << 9) | (5 << 5) | 17);
    assert.equal(zipFiles([]).length, 22, 'an empty archive is just the end record');
  });

  test('refuses unusable or duplicate names', () => {
    for (const name of ['', '/abs.txt', '../up.txt', 'a/../b', 'back\\slash', 'ü.txt', 'tab\t.txt', 'dir/']) {
      assert.throws(() => zipFiles([{ name, content: 'x' }]), /unusable entry name/, name);
    }
    assert.throws(
      () =>
        zipFiles([
          { name: 'a.txt', content: 'x' },
          { name: 'a.txt', content: 'y' },
        ]),
      /duplicate/,
    );
  });

  test('unzip lists and extracts it', { skip: !HAS_UNZIP && 'no unzip command' }, () => {
    const path = write(zipFiles(files));
    execFileSync('unzip', ['-tq', path]);
    const listing = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' });
    assert.deepEqual(
      listing.trim().split('\n'),
      files.map((f) => f.name),
    );
    assert.match(execFileSync('unzip', ['-l', path], { encoding: 'utf8' }), /alterations\.tsv/);
    for (const f of files) {
      const out = execFileSync('unzip', ['-p', path, f.name]);
      assert.deepEqual(
        out,
        typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content),
        f.name,
      );
    }
  });

  test("python's zipfile reads it back", { skip: !HAS_PYTHON && 'no python3' }, () => {
    const path = write(zipFiles(files));
    const script = [
      'import sys, zipfile, json, hashlib',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps([[i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))',
    ].join('\n');
    const got = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as Array<
      [string, number, string]
    >;
    assert.deepEqual(
      got,
      files.map((f) => {
        const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content);
        return [f.name, bytes.length, createHash('sha256').update(bytes).digest('hex')];
      }),
    );
  });
});
