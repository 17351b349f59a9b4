import { type Run, runSubject } from '@helixgate/contracts';
import { ensureRunStream, InjectConfig, InjectNats } from '@helixgate/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { JetStreamClient, NatsConnection } from 'nats';
import type { JobsConfig } from '../config';

/** The JetStream work queue jobs-worker takes runs from: made at start (idempotent), one message per run. */
@Injectable()
export class RunQueue implements OnModuleInit {
  private readonly jetstream: JetStreamClient;

  constructor(
    @InjectNats() private readonly nats: NatsConnection,
    @InjectConfig() private readonly config: JobsConfig,
  ) {
    this.jetstream = nats.jetstream();
  }

  async onModuleInit(): Promise<void> {
    await ensureRunStream(this.nats, this.config.NATS_SUBJECT_PREFIX);
  }

  /** Queues the run, by its id (JetStream drops a second message of the same id). */
  async publish(priority: Run['priority'], runId: string): Promise<void> {
    await this.jetstream.publish(runSubject(priority, this.config.NATS_SUBJECT_PREFIX), JSON.stringify({ runId }), {
      msgID: runId,
    });
  }
}
