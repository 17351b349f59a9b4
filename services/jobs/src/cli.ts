// npm run jobs -- <command> …: the jobs service's administration.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger, connectMongo, loadConfig } from '@helixgate/platform';
import { JobsEnvSchema } from './config';
import { readDefinitions } from './definitions-file';
import { KnowledgeBaseStore } from './knowledge-base.store';
import { jobsModels } from './models';

const USAGE = `usage: npm run jobs -- <command> [options]

  load-definitions  --file JOBS.yaml [--file MORE.yaml …]
      Loads job definitions (jobs, their ordered steps and tasks) from YAML, replacing any of the same name.
      Prints {"loaded": [...names], "created": N, "replaced": N}.

  list-definitions
      Prints the stored definitions as JSON.

  load-knowledge-base  --dir DIR
      Loads the Cancer Genome Interpreter knowledge base from DIR/cancer_genes.tsv and DIR/biomarkers.tsv
      (the starter set is libs/cgi/knowledge-base), replacing the current one.`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { file: { type: 'string', multiple: true }, dir: { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig(JobsEnvSchema);
  const logger = createLogger('jobs-cli', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const connection = await connectMongo(config, logger);
  const models = jobsModels(connection);
  try {
    if (command === 'load-definitions') {
      if (!values.file?.length) throw new Error('--file JOBS.yaml is required');
      const definitions = values.file.flatMap((file) => readDefinitions(readFileSync(file, 'utf8'), file));
      let created = 0;
      for (const definition of definitions) {
        const existing = await models.definitions.findById(definition.name).lean();
        if (!existing) created++;
        await models.definitions.replaceOne(
          { _id: definition.name },
          { _id: definition.name, definition, updatedAt: new Date().toISOString() },
          { upsert: true },
        );
      }
      console.log(
        JSON.stringify({ loaded: definitions.map((d) => d.name), created, replaced: definitions.length - created }),
      );
    } else if (command === 'load-knowledge-base') {
      if (!values.dir) throw new Error('--dir DIR is required (a folder with cancer_genes.tsv and biomarkers.tsv)');
      console.log(JSON.stringify(await new KnowledgeBaseStore(models).load(values.dir)));
    } else if (command === 'list-definitions') {
      console.log(JSON.stringify((await models.definitions.find().lean()).map((d) => d.definition)));
    } else {
      throw new Error(`unknown command ${command}\n\n${USAGE}`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
