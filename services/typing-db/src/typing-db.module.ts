import { Module } from '@nestjs/common';
import { AlleleDesignationsModule } from './allele-designations/allele-designations.module';
import { AllelesModule } from './alleles/alleles.module';
import { ClassificationModule } from './classification/classification.module';
import { TypingStoreModule } from './common/typing-store.module';
import { ContigsModule } from './contigs/contigs.module';
import { DatabasesModule } from './databases/databases.module';
import { FieldsModule } from './fields/fields.module';
import { IsolatesModule } from './isolates/isolates.module';
import { LociModule } from './loci/loci.module';
import { ProfilesModule } from './profiles/profiles.module';
import { ProjectsModule } from './projects/projects.module';
import { SchemesModule } from './schemes/schemes.module';
import { SequenceQueryModule } from './sequence-query/sequence-query.module';
import { SubmissionSupportModule } from './submission-support/submission-support.module';
import { UsersModule } from './users/users.module';

/** typing-db: BIGSdb's sequence definition and isolates databases, one module per resource over one store. */
@Module({
  imports: [
    TypingStoreModule,
    DatabasesModule,
    UsersModule,
    LociModule,
    AllelesModule,
    SchemesModule,
    ProfilesModule,
    ClassificationModule,
    IsolatesModule,
    AlleleDesignationsModule,
    ContigsModule,
    FieldsModule,
    ProjectsModule,
    SequenceQueryModule,
    SubmissionSupportModule,
  ],
})
export class TypingDbModule {}
