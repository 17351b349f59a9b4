import { Module } from '@nestjs/common';
import { AlleleDesignationsModule } from '../allele-designations/allele-designations.module';
import { ClassificationModule } from '../classification/classification.module';
import { IsolateSearch } from './isolate-search';
import { IsolatesController } from './isolates.controller';
import { IsolatesService } from './isolates.service';

@Module({
  imports: [AlleleDesignationsModule, ClassificationModule],
  controllers: [IsolatesController],
  providers: [IsolatesService, IsolateSearch],
})
export class IsolatesModule {}
