import { Module } from '@nestjs/common';
import { ProfileClassifier } from './classification/profile-classifier';
import { TypingStoreModule } from './common/typing-store.module';
import { ContigImporter } from './importers/contig-importer';
import { IsolateImporter } from './importers/isolate-importer';
import { SchemeImporter } from './importers/scheme-importer';
import { UsersModule } from './users/users.module';

/** What `npm run typing` uses: the store, the importers, users and classification; no NATS handlers, no workers. */
@Module({
  imports: [TypingStoreModule, UsersModule],
  providers: [SchemeImporter, IsolateImporter, ContigImporter, ProfileClassifier],
})
export class TypingCommandModule {}
