import { Module } from '@nestjs/common';
import { AlleleDesignationsModule } from '../allele-designations/allele-designations.module';
import { AlleleIndexes } from './allele-indexes';
import { QueryPool } from './query-pool';
import { SequenceQueryController } from './sequence-query.controller';
import { SequenceQueryService } from './sequence-query.service';

/** Sequence queries: the allele indexes, kept current, and the worker threads that type against them. */
@Module({
  imports: [AlleleDesignationsModule],
  controllers: [SequenceQueryController],
  providers: [SequenceQueryService, AlleleIndexes, QueryPool],
})
export class SequenceQueryModule {}
