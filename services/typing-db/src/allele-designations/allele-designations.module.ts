import { Module } from '@nestjs/common';
import { AlleleDesignationsController } from './allele-designations.controller';
import { AlleleDesignationsService } from './allele-designations.service';
import { SchemeValues } from './scheme-values';

@Module({
  controllers: [AlleleDesignationsController],
  providers: [AlleleDesignationsService, SchemeValues],
  exports: [SchemeValues],
})
export class AlleleDesignationsModule {}
