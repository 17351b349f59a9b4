import { InjectLogger } from '@helixgate/platform';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ANALYTICS_AUTOMATED_STARTER_JOBS } from './analytics-automated-jobs';
import { DefinitionsService } from './definitions.service';

/** At start, the analytics_automated jobs Helixgate ships are put in place (an operator's own are kept). */
@Injectable()
export class ShippedDefinitions implements OnApplicationBootstrap {
  constructor(
    private readonly definitions: DefinitionsService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const job of ANALYTICS_AUTOMATED_STARTER_JOBS) {
      const outcome = await this.definitions.putShippedDefinition(job);
      if (outcome !== 'updated')
        this.logger.info(
          { job: job.name, outcome },
          outcome === 'kept'
            ? 'analytics_automated job left as the operator defined it'
            : 'analytics_automated job defined',
        );
    }
  }
}
