import { Module } from '@nestjs/common';
import { ContigsController } from './contigs.controller';
import { ContigsService } from './contigs.service';

@Module({ controllers: [ContigsController], providers: [ContigsService] })
export class ContigsModule {}
