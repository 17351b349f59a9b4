// npm run jobs -- <command> …: the jobs service's administration.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openCommandContext } from '@helixgate/platform';
import { JobsEnvSchema } from './config';
import { readDefinitions } from './definitions/definitions-file';
import { DefinitionsService } from './definitions/definitions.service';
import { JobsCommandModule } from './jobs.module';
import { KnowledgeBaseService } from './knowledge-base/knowledge-base.service';

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
  const app = await openCommandContext({
    name: 'jobs-cli',
    envSchema: JobsEnvSchema,
    needs: { mongo: true },
    module: JobsCommandModule,
  });
  try {
    const definitions = app.get(DefinitionsService);
    if (command === 'load-definitions') {
      if (!values.file?.length) throw new Error('--file JOBS.yaml is required');
      const loaded = values.file.flatMap((file) => readDefinitions(readFileSync(file, 'utf8'), file));
      let created = 0;
      for (const definition of loaded) if ((await definitions.putDefinition(definition)).created) created++;
      console.log(JSON.stringify({ loaded: loaded.map((d) => d.name), created, replaced: loaded.length - created }));
    } else if (command === 'load-knowledge-base') {
      if (!values.dir) throw new Error('--dir DIR is required (a folder with cancer_genes.tsv and biomarkers.tsv)');
      console.log(JSON.stringify(await app.get(KnowledgeBaseService).load(values.dir)));
    } else if (command === 'list-definitions') {
      console.log(JSON.stringify(await definitions.listDefinitions()));
    } else {
      throw new Error(`unknown command ${command}\n\n${USAGE}`);
    }
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
