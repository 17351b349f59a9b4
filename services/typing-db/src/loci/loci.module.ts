import { Module } from '@nestjs/common';
import { LociController } from './loci.controller';
import { LociService } from './loci.service';

@Module({ controllers: [LociController], providers: [LociService], exports: [LociService] })
export class LociModule {}
