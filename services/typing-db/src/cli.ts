// npm run typing -- <command> …: loads typing data the way a user would, from PubMLST's distribution files,
// isolate tables and assemblies.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { DatabaseNameSchema } from '@helixgate/contracts';
import { openCommandContext } from '@helixgate/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { ProfileClassifier } from './classification/profile-classifier';
import { TypingEnvSchema } from './config';
import { ContigImporter } from './importers/contig-importer';
import { IsolateImporter, readFieldFile } from './importers/isolate-importer';
import { generateIsolates } from './isolates/isolate-generator';
import { type SchemeProgress, SchemeImporter } from './importers/scheme-importer';
import { TypingCommandModule } from './typing-command.module';
import { UsersService } from './users/users.service';
import type { TypingUser } from './users/users.schema';

const USAGE = `usage: npm run typing -- <command> [options]

  import-scheme     --database NAME --dir DIR [--description TEXT] [--group NAME] [--scheme-id N] [--scheme-description TEXT]
      Loads a scheme in PubMLST's layout (<locus>.tfa files and a profiles .txt: ST, loci…, clonal_complex)
      into a seqdef database (created when missing). Scheme id defaults to 1, its description to MLST.

  import-schemes    --dir DIR
      Loads every scheme folder of DIR (e.g. a snapshot of all PubMLST schemes) in one run: folder F as database
      pubmlst_F_seqdef (group F), its profiles as scheme 1 MLST. A scheme whose files are unchanged since its last
      complete import is skipped (import-scheme always loads its folder again). Progress goes to stderr.

  import-isolates   --database NAME --seqdef NAME --file FILE.tsv [--fields FIELDS.json] [--contigs-dir DIR]
                    [--description TEXT] [--group NAME] [--curator USER_ID]
      Loads isolates from a tab-separated file into an isolates database (created when missing). Columns: the
      provenance fields (isolate is required), aliases, references (PubMed ids) and projects (separate several
      values with ;), one column per locus of the seqdef database (allele ids), assembly_filename (a FASTA file,
      relative to --contigs-dir or the file's folder) and new_version_of (the id this record replaces).
      --fields is a JSON list in the shape GET /db/{db}/fields returns (name, type, required, length, min, max,
      regex, comments, allowed_values); required for a new database.

  generate-isolates --count N --seed S --profiles FILE.txt --out DIR
      Writes DIR/isolates.tsv and DIR/fields.json: N made-up isolates (provenance, aliases, references, projects)
      whose allele ids are profiles drawn from a PubMLST profiles table, for import-isolates. The same N, S and
      profiles give the same files.

  import-contigs    --database NAME --isolate-id N --file FILE.fasta [--method TEXT] [--curator USER_ID]
      Adds an assembly's contigs to an isolate's sequence bin.

  add-user          --database NAME --first-name TEXT --surname TEXT --affiliation TEXT --email EMAIL
                    [--status user|submitter|curator|admin] [--id N] [--account EMAIL]
      Adds (or updates) a user of a database, linked to the Helixgate account with that e-mail.

  classify          --database NAME --id N --name TEXT --threshold T [--scheme-id N] [--description TEXT]
      Builds classification scheme N: single-linkage groups of the scheme's profiles that differ at no more
      than T loci.

--group defaults to the database name up to its last _. Every command is idempotent: running it again with
the same input changes nothing.`;

const text = { type: 'string' } as const;

function positiveInt(value: string | undefined, option: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${option} must be a whole number`);
  return Number(value);
}

function databaseName(value: string | undefined, option = '--database'): string {
  if (!value || !DatabaseNameSchema.safeParse(value).success)
    throw new Error(`${option} NAME is required (letters, digits, _ and -)`);
  return value;
}

/**
 * import-schemes' progress on stderr: a bar redrawn in place on a terminal, else (a log, CI) a line per scheme.
 */
function schemeProgress(stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  return ({ folder, done, total, report }: SchemeProgress) => {
    const elapsed = `${Math.round((Date.now() - started) / 1000)} s`;
    const what = report
      ? `${report.alleles.inserted} alleles and ${report.profiles.inserted} profiles added in ${report.seconds.toFixed(1)} s`
      : 'unchanged';
    if (!stream.isTTY) {
      stream.write(`import-schemes: ${done}/${total} ${folder}: ${what} (${elapsed})\n`);
      return;
    }
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${elapsed}  ${folder}: ${what}`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd((stream.columns ?? 120) - 1)}`);
    if (done === total) stream.write('\n');
  };
}

const groupOf = (database: string, group?: string) => {
  const name = group ?? database.replace(/_[^_]*$/, '');
  return { name, description: name };
};

const commands: Record<
  string,
  {
    options: Record<string, { type: 'string' }>;
    run: (app: INestApplicationContext, values: Record<string, string | undefined>) => Promise<unknown>;
  }
> = {
  'import-scheme': {
    options: {
      database: text,
      dir: text,
      description: text,
      group: text,
      'scheme-id': text,
      'scheme-description': text,
    },
    run: (app, values) => {
      const database = databaseName(values.database);
      if (!values.dir) throw new Error('--dir is required');
      return app.get(SchemeImporter).importScheme({
        database,
        description: values.description ?? database,
        group: groupOf(database, values.group),
        schemeId: positiveInt(values['scheme-id'], '--scheme-id', 1),
        schemeDescription: values['scheme-description'] ?? 'MLST',
        directory: values.dir,
      });
    },
  },
  'import-schemes': {
    options: { dir: text },
    run: (app, values) => {
      if (!values.dir) throw new Error('--dir is required');
      return app.get(SchemeImporter).importSchemes({ directory: resolve(values.dir), onScheme: schemeProgress() });
    },
  },
  'import-isolates': {
    options: {
      database: text,
      seqdef: text,
      file: text,
      fields: text,
      'contigs-dir': text,
      description: text,
      group: text,
      curator: text,
    },
    run: async (app, values) => {
      const database = databaseName(values.database);
      if (!values.file) throw new Error('--file is required');
      return app.get(IsolateImporter).importIsolates({
        database,
        seqdef: databaseName(values.seqdef, '--seqdef'),
        description: values.description ?? database,
        group: groupOf(database, values.group),
        fields: values.fields ? await readFieldFile(values.fields) : undefined,
        file: resolve(values.file),
        contigsDir: values['contigs-dir'] ? resolve(values['contigs-dir']) : undefined,
        curator: positiveInt(values.curator, '--curator', 0),
      });
    },
  },
  'generate-isolates': {
    options: { count: text, seed: text, profiles: text, out: text },
    run: (_app, values) => {
      if (!values.profiles) throw new Error('--profiles is required');
      if (!values.out) throw new Error('--out is required');
      return generateIsolates({
        count: positiveInt(values.count, '--count'),
        seed: positiveInt(values.seed, '--seed', 1),
        profiles: resolve(values.profiles),
        out: resolve(values.out),
      });
    },
  },
  'import-contigs': {
    options: { database: text, 'isolate-id': text, file: text, method: text, curator: text },
    run: (app, values) => {
      if (!values.file) throw new Error('--file is required');
      return app.get(ContigImporter).importContigs({
        database: databaseName(values.database),
        isolateId: positiveInt(values['isolate-id'], '--isolate-id'),
        file: resolve(values.file),
        method: values.method,
        curator: positiveInt(values.curator, '--curator', 0),
      });
    },
  },
  'add-user': {
    options: {
      database: text,
      id: text,
      'first-name': text,
      surname: text,
      affiliation: text,
      email: text,
      status: text,
      account: text,
    },
    run: (app, values) => {
      const status = (values.status ?? 'user') as TypingUser['status'];
      if (!['user', 'submitter', 'curator', 'admin'].includes(status))
        throw new Error('--status must be user, submitter, curator or admin');
      for (const option of ['first-name', 'surname', 'affiliation', 'email'])
        if (!values[option]) throw new Error(`--${option} is required`);
      if (!/^[^\s@]+@[^\s@]+$/.test(values.email!)) throw new Error('--email must be an e-mail address');
      return app.get(UsersService).save({
        database: databaseName(values.database),
        id: values.id === undefined ? undefined : positiveInt(values.id, '--id'),
        firstName: values['first-name']!,
        surname: values.surname!,
        affiliation: values.affiliation!,
        email: values.email!,
        status,
        account: values.account,
      });
    },
  },
  classify: {
    options: { database: text, 'scheme-id': text, id: text, name: text, description: text, threshold: text },
    run: (app, values) => {
      if (!values.name) throw new Error('--name is required');
      return app.get(ProfileClassifier).classify({
        database: databaseName(values.database),
        schemeId: positiveInt(values['scheme-id'], '--scheme-id', 1),
        id: positiveInt(values.id, '--id'),
        name: values.name,
        description: values.description,
        threshold: positiveInt(values.threshold, '--threshold'),
      });
    },
  },
};

async function main(argv: string[]) {
  const [name, ...rest] = argv;
  if (name === '--help' || name === 'help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const command = name ? commands[name] : undefined;
  if (!command) throw new Error(name ? `unknown command ${name}` : 'no command');
  const { values } = parseArgs({ args: rest, options: command.options, strict: true });
  const app = await openCommandContext({
    name: 'typing-cli',
    envSchema: TypingEnvSchema,
    needs: { mongo: true },
    module: TypingCommandModule,
  });
  try {
    return await command.run(app, values);
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stderr.write(`typing: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(2);
  },
);
