// npm run typing -- import-scheme …: loads typing data the way a user would, from PubMLST's distribution files.
import { parseArgs } from 'node:util';
import { DatabaseNameSchema } from '@helixgate/contracts';
import { createLogger, loadConfig } from '@helixgate/platform';
import { TypingEnvSchema } from './config';
import { importScheme } from './importer';
import { openTypingStore } from './typing-store';

const USAGE = `usage: npm run typing -- import-scheme --database NAME --dir DIR [options]

  --database NAME            seqdef database to load into (created when missing), e.g. pubmlst_neisseria_seqdef
  --dir DIR                  PubMLST layout: <locus>.tfa files and a profiles .txt (ST, loci…, clonal_complex)
  --description TEXT         database description (default: NAME)
  --group NAME               resource group (default: the database name up to its last _)
  --scheme-id N              (default 1)
  --scheme-description TEXT  (default MLST)

Idempotent: importing the same files again changes nothing.`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (command !== 'import-scheme') throw new Error(command ? `unknown command ${command}` : 'no command');
  const { values } = parseArgs({
    args: rest,
    options: {
      database: { type: 'string' },
      dir: { type: 'string' },
      description: { type: 'string' },
      group: { type: 'string' },
      'scheme-id': { type: 'string' },
      'scheme-description': { type: 'string' },
    },
    strict: true,
  });
  if (!values.database || !DatabaseNameSchema.safeParse(values.database).success || !values.dir) throw new Error('--database and --dir are required');
  const schemeId = Number(values['scheme-id'] ?? 1);
  if (!Number.isInteger(schemeId) || schemeId < 1) throw new Error('--scheme-id must be a positive integer');
  const group = values.group ?? values.database.replace(/_[^_]*$/, '');
  const store = await openTypingStore(loadConfig(TypingEnvSchema), createLogger('typing-cli', 'warn'));
  try {
    return await importScheme(store.models, {
      database: values.database,
      description: values.description ?? values.database,
      group: { name: group, description: group },
      schemeId,
      schemeDescription: values['scheme-description'] ?? 'MLST',
      directory: values.dir,
    });
  } finally {
    await store.connection.close();
  }
}

main(process.argv.slice(2)).then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stderr.write(`typing: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(2);
  },
);
