import 'reflect-metadata';
import { connectTransfers, openJobFiles, RpcClient, runService } from '@helixgate/platform';
import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WorkerEnvSchema } from './config';
import { RunConsumer } from './run-consumer';
import { RunExecutor } from './run-executor';

@Module({})
class JobsWorkerModule {}

void runService({
  name: 'jobs-worker',
  envSchema: WorkerEnvSchema,
  module: async ({ config, logger }) => {
    const { transfers, connection: nats } = await connectTransfers(config, 'jobs-worker');
    const files = await openJobFiles(nats, config);
    const rpc = new RpcClient(nats, { timeoutMs: 30_000, subjectPrefix: config.NATS_SUBJECT_PREFIX, transfers });
    const consumer = new RunConsumer(
      nats,
      rpc,
      new RunExecutor(files, config.JOBS_WORK_DIR, rpc, transfers),
      config,
      logger,
    );
    const lifecycle: OnApplicationBootstrap & OnApplicationShutdown = {
      onApplicationBootstrap: () => consumer.start(),
      onApplicationShutdown: async () => {
        await consumer.stop();
        await nats.drain();
      },
    };
    return { module: JobsWorkerModule, providers: [{ provide: 'LIFECYCLE', useValue: lifecycle }] };
  },
});
