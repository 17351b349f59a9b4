import { SubmissionsSubjects } from '@helixgate/contracts';
import { HandleRequest, natsConnectOptions, RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { connect } from 'nats';
import type { z } from 'zod';
import type { SubmissionsConfig } from '../config';
import { SubmissionFileStore } from './file-store';
import { submissionModels } from './models';
import { BigsdbSubmissions } from './submissions.service';

type In<K extends keyof typeof SubmissionsSubjects> = z.output<(typeof SubmissionsSubjects)[K]['request']>;

@Controller()
class BigsdbSubmissionsController {
  constructor(private readonly submissions: BigsdbSubmissions) {}

  @HandleRequest(SubmissionsSubjects.list)
  list(request: In<'list'>) {
    return this.submissions.list(request);
  }
  @HandleRequest(SubmissionsSubjects.create)
  create(request: In<'create'>) {
    return this.submissions.create(request);
  }
  @HandleRequest(SubmissionsSubjects.get)
  get(request: In<'get'>) {
    return this.submissions.get(request);
  }
  @HandleRequest(SubmissionsSubjects.delete)
  delete(request: In<'delete'>) {
    return this.submissions.delete(request);
  }
  @HandleRequest(SubmissionsSubjects.listMessages)
  listMessages(request: In<'listMessages'>) {
    return this.submissions.listMessages(request);
  }
  @HandleRequest(SubmissionsSubjects.addMessage)
  addMessage(request: In<'addMessage'>) {
    return this.submissions.addMessage(request);
  }
  @HandleRequest(SubmissionsSubjects.listFiles)
  listFiles(request: In<'listFiles'>) {
    return this.submissions.listFiles(request);
  }
  @HandleRequest(SubmissionsSubjects.uploadFile)
  uploadFile(request: In<'uploadFile'>) {
    return this.submissions.uploadFile(request);
  }
  @HandleRequest(SubmissionsSubjects.downloadFile)
  downloadFile(request: In<'downloadFile'>) {
    return this.submissions.downloadFile(request);
  }
  @HandleRequest(SubmissionsSubjects.deleteFile)
  deleteFile(request: In<'deleteFile'>) {
    return this.submissions.deleteFile(request);
  }
  @HandleRequest(SubmissionsSubjects.curate)
  curate(request: In<'curate'>) {
    return this.submissions.curate(request);
  }
}

@Module({})
class BigsdbSubmissionsModule {}

/**
 * BIGSdb curator submissions, as a module the submissions service imports: its collections on the service's MongoDB
 * connection, and a NATS connection of its own for asking typing-db and for the transfer bucket.
 */
export async function bigsdbSubmissionsModule(config: SubmissionsConfig, mongo: Connection): Promise<DynamicModule> {
  const models = await submissionModels(mongo);
  const nats = await connect(natsConnectOptions(config, 'submissions-bigsdb'));
  const transfers = await TransferStore.open(nats, config.TRANSFER_BUCKET, {
    maxBytes: config.TRANSFER_BUCKET_MAX_BYTES,
  });
  const rpc = new RpcClient(nats, {
    timeoutMs: config.BIGSDB_TYPING_TIMEOUT_MS,
    subjectPrefix: config.NATS_SUBJECT_PREFIX,
    transfers,
  });
  const service = new BigsdbSubmissions(models, new SubmissionFileStore(models, transfers), rpc, transfers, {
    dailyLimit: config.BIGSDB_SUBMISSIONS_DAILY_LIMIT,
  });
  const shutdown: OnApplicationShutdown = { onApplicationShutdown: () => nats.drain() };
  return {
    module: BigsdbSubmissionsModule,
    controllers: [BigsdbSubmissionsController],
    providers: [
      { provide: BigsdbSubmissions, useValue: service },
      { provide: 'BIGSDB_SUBMISSIONS_SHUTDOWN', useValue: shutdown },
    ],
  };
}
