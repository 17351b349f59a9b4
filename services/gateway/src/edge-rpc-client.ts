import {
  holdsNul,
  type ReplyOf,
  type RequestOf,
  ServiceError,
  type StreamSubject,
  type Subject,
} from '@helixgate/contracts';
import { InjectConfig, InjectNats, RpcClient, TransferStore } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { z } from 'zod';
import type { GatewayConfig } from './config';

const nulRefused = () => ServiceError.badRequest('The request holds a NUL character (U+0000), which is not accepted.');

/**
 * The gateway's RPC client (provided as RpcClient), waiting RPC_TIMEOUT_MS for a service. Everything it sends came
 * from a client, so it is the last place at the edge to refuse a NUL (U+0000) that the route-level checks did not
 * name (a multipart field, a decoded credential): no service, and no database, ever receives one from a client.
 */
@Injectable()
export class EdgeRpcClient extends RpcClient {
  constructor(@InjectNats() nats: NatsConnection, transfers: TransferStore, @InjectConfig() config: GatewayConfig) {
    super(nats, { timeoutMs: config.RPC_TIMEOUT_MS, subjectPrefix: config.NATS_SUBJECT_PREFIX, transfers });
  }

  override request<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(
    subject: S,
    payload: RequestOf<S>,
    context?: { requestId?: string; timeoutMs?: number },
  ): Promise<ReplyOf<S>> {
    if (holdsNul(payload)) return Promise.reject(nulRefused());
    return super.request(subject, payload, context);
  }

  override stream<S extends StreamSubject<z.ZodTypeAny>>(
    subject: S,
    payload: RequestOf<S>,
    context?: { requestId?: string; timeoutMs?: number },
  ): AsyncIterableIterator<Uint8Array> {
    if (holdsNul(payload)) throw nulRefused();
    return super.stream(subject, payload, context);
  }
}
