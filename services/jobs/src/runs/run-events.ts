import { type RunEndedEvent, runEndedSubject } from '@helixgate/contracts';
import { InjectConfig, InjectLogger, InjectNats } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { JobsConfig } from '../config';

/**
 * The runs' ended events (runEndedSubject): plain NATS messages published once a run's outcome is stored, so that
 * whoever waits for a run hears of it at once instead of polling getRun. Not kept: a listener that was away reads
 * the run.
 */
@Injectable()
export class RunEvents {
  private readonly subject: string;

  constructor(
    @InjectNats() private readonly nats: NatsConnection,
    @InjectConfig() config: JobsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.subject = runEndedSubject(config.NATS_SUBJECT_PREFIX);
  }

  /** Says the run ended; never fails the caller (the outcome is stored already). */
  ended(event: RunEndedEvent): void {
    try {
      this.nats.publish(this.subject, JSON.stringify(event));
    } catch (error) {
      this.logger.warn({ runId: event.runId, error: (error as Error).message }, 'run ended event not published');
    }
  }
}
