import { Module } from '@nestjs/common';
import { ClassificationModule } from '../classification/classification.module';
import { LociModule } from '../loci/loci.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { UsersModule } from '../users/users.module';
import { SchemesController } from './schemes.controller';
import { SchemesService } from './schemes.service';

@Module({
  imports: [LociModule, ProfilesModule, UsersModule, ClassificationModule],
  controllers: [SchemesController],
  providers: [SchemesService],
})
export class SchemesModule {}
