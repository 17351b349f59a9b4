import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { KnowledgeBaseController } from './knowledge-base.controller';
import { KnowledgeBaseRepository } from './knowledge-base.repository';
import { KNOWLEDGE_BASE, KnowledgeBaseDocumentSchema } from './knowledge-base.schema';
import { KnowledgeBaseService } from './knowledge-base.service';

@Module({
  controllers: [KnowledgeBaseController],
  providers: [mongoModel(KNOWLEDGE_BASE, KnowledgeBaseDocumentSchema), KnowledgeBaseRepository, KnowledgeBaseService],
  exports: [KnowledgeBaseService],
})
export class KnowledgeBaseModule {}
