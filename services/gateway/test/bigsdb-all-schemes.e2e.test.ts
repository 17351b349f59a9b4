import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot, type Stack, startStack } from '@helixgate/testing';
import request from 'supertest';

/**
 * Every PubMLST scheme of the December 2025 snapshot (../shared/data/pubmlst-all: 166 folders) loaded by the command
 * a user runs, `npm run typing -- import-schemes --dir …`, and read back through the gateway against the files.
 */
const ALL = join(repoRoot(), '..', 'shared', 'data', 'pubmlst-all');
const MISSING = existsSync(ALL) ? false : `${ALL} is missing: the 166-scheme PubMLST snapshot is not on this machine`;

/** The schemes checked locus by locus: punctuated loci (rpoB', EF-2, p120'), extra profile columns, 0 and N alleles. */
const CHECKED = {
  halobacteria: "loci rpoB' and EF-2",
  mhominis_3: "locus p120'",
  abaumannii: 'clonal_complex and species columns, mostly empty',
  listeria_2: 'CC and Lineage columns; profiles with allele 0',
  hinfluenzae: 'profiles with allele 0',
  mycobacteria_2: 'a species column and no clonal_complex',
  helicobacter: 'the most alleles of any scheme (29,100)',
};

const folders = () =>
  readdirSync(ALL, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
const lociOf = (folder: string) =>
  readdirSync(join(ALL, folder))
    .filter((f) => f.endsWith('.tfa'))
    .map((f) => f.slice(0, -'.tfa'.length));
const profilesFileOf = (folder: string) => join(ALL, folder, `${folder}.txt`);
const dbOf = (folder: string) => `pubmlst_${folder}_seqdef`;

interface FolderReport {
  schemes: number;
  imported: number;
  unchanged: number;
  loci: number;
  alleles: { seen: number; inserted: number };
  profiles: { seen: number; inserted: number };
  seconds: number;
}

describe(
  'all 166 PubMLST schemes, imported by import-schemes, read back through the gateway',
  { skip: MISSING },
  () => {
    let stack: Stack;
    let first: FolderReport;
    const api = () => request(stack.baseUrl);
    const importAll = async () => (await stack.cli('typing-db', ['import-schemes', '--dir', ALL])) as FolderReport;
    /** A download's bytes, as they came. */
    const download = async (path: string) => {
      const res = await api()
        .get(path)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200, path);
      return res.body as Buffer;
    };

    before(async () => {
      stack = await startStack(['typing-db']);
      first = await importAll();
    });
    after(async () => {
      await stack?.close();
    });

    test('one run loads every scheme, allele and profile of the snapshot; a second run reads none again', async (t) => {
      t.diagnostic(`import-schemes took ${first.seconds} s (not a measurement: other files run beside this one)`);
      assert.deepEqual(
        [first.schemes, first.imported, first.loci, first.alleles.inserted, first.profiles.inserted],
        [166, 166, 1136, 229_394, 206_455],
      );
      const second = await importAll();
      assert.deepEqual([second.imported, second.unchanged, second.alleles.seen, second.profiles.seen], [0, 166, 0, 0]);
    });

    test('every folder is a seqdef database in a group of its name, with the loci of its .tfa files', async () => {
      const groups = (await api().get('/db')).body as Array<{ name: string; databases: Array<{ name: string }> }>;
      assert.deepEqual(
        groups.map((g) => [g.name, g.databases.map((d) => d.name)]).sort(),
        folders().map((f) => [f, [dbOf(f)]]),
      );
      for (const folder of folders()) {
        const res = await api().get(`/db/${dbOf(folder)}/loci?return_all=1`);
        assert.equal(res.status, 200, folder);
        assert.deepEqual(
          (res.body.loci as string[]).map((u) => decodeURIComponent(u.split('/').pop()!)).sort(),
          lociOf(folder).sort(),
          folder,
        );
      }
    });

    for (const [folder, why] of Object.entries(CHECKED))
      test(`${folder} (${why}): alleles per locus, loci and fields in the profile table's order, profile count`, async () => {
        const db = dbOf(folder);
        for (const locus of lociOf(folder)) {
          const res = await api().get(`/db/${db}/loci/${encodeURIComponent(locus)}/alleles`);
          assert.equal(res.status, 200, `${folder} ${locus}`);
          const expected = readFileSync(join(ALL, folder, `${locus}.tfa`), 'latin1').split('>').length - 1;
          assert.equal(res.body.records, expected, `${folder} ${locus}: alleles`);
        }
        const [header, ...rows] = readFileSync(profilesFileOf(folder), 'latin1').trimEnd().split('\n');
        const columns = header.split('\t');
        const loci = columns.slice(1).filter((c) => lociOf(folder).includes(c));
        const scheme = (await api().get(`/db/${db}/schemes/1`)).body;
        assert.equal(scheme.description, 'MLST');
        assert.deepEqual(
          (scheme.loci as string[]).map((u) => decodeURIComponent(u.split('/').pop()!)),
          loci,
        );
        assert.deepEqual(
          (scheme.fields as string[]).map((u) => decodeURIComponent(u.split('/').pop()!)),
          [columns[0], ...columns.slice(1).filter((c) => !loci.includes(c))],
        );
        assert.equal(scheme.records, rows.length, `${folder}: profiles`);
      });

    test("a profile with allele 0 keeps it (listeria_2's ST 94 has bglA 0 and dapE 0)", async () => {
      const line = readFileSync(profilesFileOf('listeria_2'), 'latin1')
        .split('\n')
        .find((l) => l.startsWith('94\t'))!
        .split('\t');
      const res = await api().get(`/db/${dbOf('listeria_2')}/schemes/1/profiles/94?allele_ids_only=1`);
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.alleles,
        ['abcZ', 'bglA', 'cat', 'dapE', 'dat', 'ldh', 'lhkA'].map((locus, i) => ({ locus, allele_id: line[i + 1] })),
      );
      assert.deepEqual([res.body.CC, res.body.Lineage], [line[8], line[9]]);
    });

    test("alleles_fasta of a punctuated locus (halobacteria rpoB') is byte for byte its .tfa file", async () => {
      const body = await download(`/db/${dbOf('halobacteria')}/loci/${encodeURIComponent("rpoB'")}/alleles_fasta`);
      assert.ok(body.equals(readFileSync(join(ALL, 'halobacteria', "rpoB'.tfa"))));
    });

    // PubMLST's profile files are BIGSdb's profiles_csv, so with extra columns, empty cells and 0 alleles they come back
    // the same. Three files of the snapshot (pacnes_3, salmonella, senterica_achtman_2) have cells ending in a space,
    // which the import trims as BIGSdb trims what it is given: those are equal cell for cell after trimming, not byte
    // for byte, and are not the ones compared here.
    for (const folder of ['abaumannii', 'listeria_2'])
      test(`profiles_csv of ${folder} is byte for byte its profiles file`, async () => {
        const body = await download(`/db/${dbOf(folder)}/schemes/1/profiles_csv`);
        assert.ok(body.equals(readFileSync(profilesFileOf(folder))), `${folder}.txt`);
      });
  },
);
