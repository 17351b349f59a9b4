import { dirname, join } from 'node:path';
import { InjectLogger } from '@helixgate/platform';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { KnowledgeBaseService } from './knowledge-base.service';

/** The starter knowledge base shipped with libs/cgi. */
export const STARTER_KNOWLEDGE_BASE = join(dirname(require.resolve('@helixgate/cgi/package.json')), 'knowledge-base');

/** At start, the starter knowledge base is loaded when none is; it stays until an operator loads another. */
@Injectable()
export class StarterKnowledgeBase implements OnApplicationBootstrap {
  constructor(
    private readonly knowledgeBase: KnowledgeBaseService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.knowledgeBase.loaded()))
      this.logger.info(await this.knowledgeBase.load(STARTER_KNOWLEDGE_BASE), 'starter knowledge base loaded');
  }
}
