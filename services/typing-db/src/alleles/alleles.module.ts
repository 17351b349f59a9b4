import { Module } from '@nestjs/common';
import { AllelesController } from './alleles.controller';
import { AllelesService } from './alleles.service';

@Module({ controllers: [AllelesController], providers: [AllelesService] })
export class AllelesModule {}
