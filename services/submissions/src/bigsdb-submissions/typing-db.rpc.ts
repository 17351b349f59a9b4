import { InjectConfig, InjectNats, RpcClient, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { SubmissionsConfig } from '../config';

/** Requests to typing-db (checks, id assignment), waiting BIGSDB_TYPING_TIMEOUT_MS before a 503. */
@Injectable()
export class TypingDbRpc extends RpcClient {
  constructor(
    @InjectNats() connection: NatsConnection,
    transfers: TransferStore,
    @InjectConfig() config: SubmissionsConfig,
  ) {
    super(connection, {
      timeoutMs: config.BIGSDB_TYPING_TIMEOUT_MS,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      transfers,
    });
  }
}
