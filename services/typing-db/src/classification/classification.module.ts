import { Module } from '@nestjs/common';
import { AlleleDesignationsModule } from '../allele-designations/allele-designations.module';
import { ClassificationMemberships } from './classification-memberships';
import { ClassificationController } from './classification.controller';
import { ClassificationService } from './classification.service';

@Module({
  imports: [AlleleDesignationsModule],
  controllers: [ClassificationController],
  providers: [ClassificationService, ClassificationMemberships],
  exports: [ClassificationMemberships],
})
export class ClassificationModule {}
