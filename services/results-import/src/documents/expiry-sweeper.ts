import { InjectConfig, InjectLogger } from '@helixgate/platform';
import { Injectable, type OnApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ResultsImportConfig } from '../config';
import { DocumentsRepository } from './documents.repository';

/** Deletes expired documents now and then. Reads never depend on it: they filter on expiresAt themselves. */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly documents: DocumentsRepository,
    @InjectConfig() private readonly config: ResultsImportConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.RESULTS_SWEEP_INTERVAL_SECONDS * 1000);
    this.timer.unref();
    void this.sweep();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      const deleted = await this.documents.deleteExpired(new Date());
      if (deleted > 0) this.logger.info({ deleted }, 'deleted expired result documents');
    } catch (error) {
      this.logger.warn({ err: error }, 'sweep of expired result documents failed; will try again');
    }
  }
}
