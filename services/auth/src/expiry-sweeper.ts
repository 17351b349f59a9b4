import { InjectLogger } from '@helixgate/platform';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { AccountsRepository } from './accounts/accounts.repository';
import { OAuthRepository } from './oauth/oauth.repository';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Deletes expired OAuth tokens, nonces and web sessions now and then; reads never rely on it. */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly oauth: OAuthRepository,
    private readonly accounts: AccountsRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS).unref();
    void this.sweep();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      const now = new Date();
      const deleted = (await this.oauth.deleteExpired(now)) + (await this.accounts.deleteExpiredWebSessions(now));
      if (deleted > 0) this.logger.info({ deleted }, 'deleted expired tokens, nonces and sessions');
    } catch (error) {
      this.logger.warn({ err: error }, 'sweep failed; will try again');
    }
  }
}
