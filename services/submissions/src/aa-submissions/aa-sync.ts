import { InjectConfig, InjectLogger } from '@helixgate/platform';
import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { SubmissionsConfig } from '../config';
import { AaSubmissionsService } from './aa-submissions.service';

/**
 * Brings analytics_automated submissions up to date (and sends the batch e-mails) every AA_SYNC_INTERVAL_SECONDS,
 * one sync at a time. Stopped before the application's shutdown hooks, so that the mailer and the connections it
 * uses are closed only once the last sync has ended.
 */
@Injectable()
export class AaSync implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;

  constructor(
    private readonly submissions: AaSubmissionsService,
    @InjectConfig() private readonly config: SubmissionsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sync(), this.config.AA_SYNC_INTERVAL_SECONDS * 1000);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
  }

  private sync(): void {
    this.syncing ??= this.submissions
      .sync()
      .catch((error: unknown) =>
        this.logger.warn({ error: (error as Error).message }, 'analytics_automated sync failed; will try again'),
      )
      .finally(() => (this.syncing = undefined));
  }
}
