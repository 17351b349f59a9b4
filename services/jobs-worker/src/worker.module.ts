import { Module } from '@nestjs/common';
import { RunConsumer } from './run-consumer';
import { RunExecutor } from './run-executor';

/** jobs-worker: the work-queue consumer and the executor it hands each run to (no NATS request handlers). */
@Module({ providers: [RunExecutor, RunConsumer] })
export class WorkerModule {}
