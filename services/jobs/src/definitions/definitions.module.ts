import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { DefinitionsController } from './definitions.controller';
import { DefinitionsRepository } from './definitions.repository';
import { DEFINITION, DefinitionSchema } from './definitions.schema';
import { DefinitionsService } from './definitions.service';

@Module({
  controllers: [DefinitionsController],
  providers: [mongoModel(DEFINITION, DefinitionSchema), DefinitionsRepository, DefinitionsService],
  exports: [DefinitionsService],
})
export class DefinitionsModule {}
