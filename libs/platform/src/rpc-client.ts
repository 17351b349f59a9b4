import { randomUUID } from 'node:crypto';
import { ErrorEnvelopeSchema, ServiceError, TransferredReplySchema, type ReplyOf, type RequestOf, type Subject } from '@helixgate/contracts';
import { ErrorCode, headers as natsHeaders, JSONCodec, type NatsConnection, NatsError } from 'nats';
import type { z } from 'zod';
import { describeIssues } from './config';
import type { TransferStore } from './jetstream';
import { currentRequestId, REQUEST_ID_HEADER } from './logger';
import { owningService, wireSubject } from './subjects';

const codec = JSONCodec<unknown>();

/** The reply Nest's NATS transport sends: one message with either a response or an error. */
interface NestReply {
  response?: unknown;
  err?: unknown;
}

/**
 * Request/reply over NATS in the packet format of @nestjs/microservices, so every service is a plain Nest
 * microservice. Unlike Nest's ClientProxy it uses NATS request semantics: a subject nobody serves fails at
 * once (503) instead of waiting out the timeout. Payloads and replies are checked against the contract.
 */
export class RpcClient {
  constructor(
    private readonly connection: NatsConnection,
    private readonly options: { timeoutMs: number; subjectPrefix?: string; transfers?: TransferStore },
  ) {}

  /** A reply the handler parked in the object store because it was too large for a message. */
  private async unpark(response: unknown): Promise<unknown> {
    const parked = TransferredReplySchema.safeParse(response);
    if (!parked.success || !this.options.transfers) return response;
    const ref = parked.data.transferredReply;
    try {
      return JSON.parse((await this.options.transfers.read(ref, ref.size)).toString('utf8'));
    } finally {
      await this.options.transfers.remove(ref);
    }
  }

  async request<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(
    subject: S,
    payload: RequestOf<S>,
    context: { requestId?: string; timeoutMs?: number } = {},
  ): Promise<ReplyOf<S>> {
    const service = owningService(subject);
    const checked = subject.request.safeParse(payload);
    if (!checked.success) {
      // Whatever reached a request came from a client: a value out of the contract's bounds is its 400.
      throw ServiceError.badRequest(describeIssues(checked.error, 'request').slice(0, 500));
    }
    const data = checked.data;
    const name = wireSubject(subject, this.options.subjectPrefix);
    const h = natsHeaders();
    h.set(REQUEST_ID_HEADER, context.requestId ?? currentRequestId() ?? randomUUID());
    let raw: Uint8Array;
    try {
      const msg = await this.connection.request(name, codec.encode({ pattern: name, data, id: randomUUID() }), {
        timeout: context.timeoutMs ?? this.options.timeoutMs,
        headers: h,
      });
      raw = msg.data;
    } catch (error) {
      if (error instanceof NatsError && error.code === ErrorCode.NoResponders) {
        throw ServiceError.unavailable(`The ${service} service is not available; try again shortly.`);
      }
      if (error instanceof NatsError && error.code === ErrorCode.Timeout) {
        throw ServiceError.unavailable(`The ${service} service did not answer in time; try again shortly.`);
      }
      if (error instanceof NatsError && error.code === ErrorCode.MaxPayloadExceeded) {
        // A request larger than a message can carry: the client sent more than the route can pass on.
        throw ServiceError.payloadTooLarge('The request is too large to pass on; send less at once.');
      }
      throw error;
    }
    const reply = codec.decode(raw) as NestReply;
    if (reply.err !== undefined && reply.err !== null) {
      const envelope = ErrorEnvelopeSchema.safeParse(reply.err);
      if (envelope.success) throw ServiceError.fromEnvelope(envelope.data);
      // Nest's own errors (e.g. no handler for the subject in the replica that answered) are not envelopes.
      throw ServiceError.unavailable(`The ${service} service could not handle the request; try again shortly.`);
    }
    return subject.reply.parse(await this.unpark(reply.response));
  }
}
