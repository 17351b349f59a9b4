import 'reflect-metadata';
import { runService } from '@helixgate/platform';
import { ResultsImportEnvSchema } from './config';
import { DocumentsModule } from './documents/documents.module';

void runService({
  name: 'results-import',
  envSchema: ResultsImportEnvSchema,
  needs: { mongo: true },
  module: DocumentsModule,
});
