import 'reflect-metadata';
import { connectMongo, connectTransfers, mongoReadiness, RpcClient, runService } from '@helixgate/platform';
import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AaController } from './aa/aa.controller';
import { AaSubmissions } from './aa/aa-submissions.service';
import { Mailer } from './aa/mailer';
import { aaModels } from './aa/models';
import { SubmissionsEnvSchema } from './config';
import { bigsdbSubmissionsModule } from './bigsdb/module';

@Module({})
class SubmissionsModule {}

void runService({
  name: 'submissions',
  envSchema: SubmissionsEnvSchema,
  module: async ({ config, logger, ops }) => {
    const mongo = await connectMongo(config, logger);
    ops.addReadinessCheck(mongoReadiness(mongo));
    const { transfers, connection: nats } = await connectTransfers(config, 'submissions');
    const rpc = new RpcClient(nats, { timeoutMs: 30_000, subjectPrefix: config.NATS_SUBJECT_PREFIX, transfers });
    const mailer =
      config.SMTP_URL && config.AA_EMAIL_FROM ? new Mailer(config.SMTP_URL, config.AA_EMAIL_FROM) : undefined;
    const aa = new AaSubmissions(aaModels(mongo), rpc, transfers, config, mailer, logger);
    // analytics_automated submissions are brought up to date (and batch e-mails sent) every AA_SYNC_INTERVAL_SECONDS.
    let syncing: Promise<void> | undefined;
    const sync = () => {
      syncing ??= aa
        .sync()
        .catch((error: Error) =>
          logger.warn({ error: error.message }, 'analytics_automated sync failed; will try again'),
        )
        .finally(() => (syncing = undefined));
    };
    let timer: NodeJS.Timeout | undefined;
    const lifecycle: OnApplicationBootstrap & OnApplicationShutdown = {
      onApplicationBootstrap: () => {
        timer = setInterval(sync, config.AA_SYNC_INTERVAL_SECONDS * 1000);
      },
      onApplicationShutdown: async () => {
        clearInterval(timer);
        await syncing;
        mailer?.close();
        await nats.drain();
        await mongo.close();
      },
    };
    const bigsdb = await bigsdbSubmissionsModule(config, mongo);
    return {
      module: SubmissionsModule,
      imports: [bigsdb],
      controllers: [AaController],
      providers: [
        { provide: AaSubmissions, useValue: aa },
        { provide: 'LIFECYCLE', useValue: lifecycle },
      ],
    };
  },
});
