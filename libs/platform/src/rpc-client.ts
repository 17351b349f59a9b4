import { randomUUID } from 'node:crypto';
import {
  ErrorEnvelopeSchema,
  ServiceError,
  TransferredReplySchema,
  type ReplyOf,
  type RequestOf,
  type StreamSubject,
  type Subject,
} from '@helixgate/contracts';
import {
  createInbox,
  ErrorCode,
  headers as natsHeaders,
  JSONCodec,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  NatsError,
} from 'nats';
import type { z } from 'zod';
import { openByteStream } from './byte-stream';
import { describeIssues } from './config';
import type { TransferStore } from './jetstream';
import { currentRequestId, REQUEST_ID_HEADER } from './logger';
import { owningService, wireSubject } from './subjects';

const codec = JSONCodec();

/**
 * A request carrying this header (its value: how long the client waits, in ms) asks the responder to send an empty
 * message with the same header to the reply subject every RPC_KEEPALIVE_INTERVAL_MS while it works on the request.
 */
export const RPC_KEEPALIVE_HEADER = 'Helixgate-Keepalive';
export const RPC_KEEPALIVE_INTERVAL_MS = 1_000;
/** Silence after which a client takes the process serving its request for dead (a few keepalives missed). */
export const RPC_IDLE_TIMEOUT_MS = 3_000;

/** A payload checked against its subject's schema; whatever reached a request came from a client, so a bad one is its 400. */
export function checkedRequest<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(
  subject: S,
  payload: RequestOf<S>,
): unknown {
  const checked = subject.request.safeParse(payload);
  if (!checked.success) throw ServiceError.badRequest(describeIssues(checked.error, 'request').slice(0, 500));
  return checked.data as unknown;
}

/** The replies to this client's requests: one subscription to `<inbox>.*`, a waiter per request token. */
interface Inbox {
  prefix: string;
  waiting: Map<string, (message: Msg) => void>;
}

/** The reply Nest's NATS transport sends: one message with either a response or an error. */
interface NestReply {
  response?: unknown;
  err?: unknown;
}

/**
 * Request/reply over NATS in the packet format of @nestjs/microservices, so every service is a plain Nest
 * microservice. Unlike Nest's ClientProxy it fails fast with a 503: at once when nobody serves the subject (the
 * server's no-responders status), and after RPC_IDLE_TIMEOUT_MS without a keepalive when the process working on
 * the request died, rather than waiting out the timeout. Payloads and replies are checked against the contract.
 */
export class RpcClient {
  private inbox?: Inbox;

  constructor(
    private readonly connection: NatsConnection,
    private readonly options: {
      timeoutMs: number;
      subjectPrefix?: string;
      transfers?: TransferStore;
      idleTimeoutMs?: number;
    },
  ) {}

  private replies(): Inbox {
    if (this.inbox) return this.inbox;
    const inbox: Inbox = { prefix: createInbox(), waiting: new Map() };
    const subscription = this.connection.subscribe(`${inbox.prefix}.*`, {
      // An error here (a permission violation on the inbox) comes without a message; the waiters time out.
      callback: (error, message) => {
        if (!error) inbox.waiting.get(message.subject.slice(inbox.prefix.length + 1))?.(message);
      },
    });
    void subscription.closed.finally(() => {
      if (this.inbox === inbox) this.inbox = undefined;
    });
    return (this.inbox = inbox);
  }

  /**
   * Publishes the request with a reply subject of this client's inbox and waits for the reply: keepalives reset the
   * idle window, a 503 status (no responders) or silence for the idle window is a 503, and timeoutMs bounds it all.
   */
  private exchange(service: string, name: string, data: Uint8Array, headers: MsgHdrs, timeoutMs: number): Promise<Msg> {
    const inbox = this.replies();
    const token = randomUUID();
    const idleMs = Math.min(this.options.idleTimeoutMs ?? RPC_IDLE_TIMEOUT_MS, timeoutMs);
    headers.set(RPC_KEEPALIVE_HEADER, String(timeoutMs));
    return new Promise<Msg>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      const overall = setTimeout(
        () => settle(ServiceError.unavailable(`The ${service} service did not answer in time; try again shortly.`)),
        timeoutMs,
      );
      let done = false;
      const settle = (error: Error | undefined, message?: Msg) => {
        done = true;
        clearTimeout(overall);
        clearTimeout(idle);
        inbox.waiting.delete(token);
        if (message) resolve(message);
        else reject(error ?? new Error(`no reply from ${service}`));
      };
      let heard = Date.now();
      // When the window ends, look again after this turn's I/O: a process that was itself busy for the window
      // (its timers run before its sockets are read) may have keepalives waiting unread.
      const watch = (waitMs: number) => {
        idle = setTimeout(
          () =>
            setImmediate(() => {
              if (done) return;
              const silentMs = Date.now() - heard;
              if (silentMs < idleMs) watch(idleMs - silentMs);
              else settle(ServiceError.unavailable(`The ${service} service stopped answering; try again shortly.`));
            }),
          waitMs,
        );
      };
      const quiet = () => {
        heard = Date.now();
        if (idle === undefined) watch(idleMs);
      };
      inbox.waiting.set(token, (message) => {
        if (message.data.length === 0 && message.headers?.code === 503) {
          settle(ServiceError.unavailable(`The ${service} service is not available; try again shortly.`));
        } else if (message.data.length === 0 && message.headers?.get(RPC_KEEPALIVE_HEADER)) quiet();
        else settle(undefined, message);
      });
      try {
        this.connection.publish(name, data, { reply: `${inbox.prefix}.${token}`, headers });
        quiet();
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** A reply the handler parked in the object store because it was too large for a message. */
  private async unpark(response: unknown): Promise<unknown> {
    // Most replies are not parked: a look at the key first, since a failed safeParse builds its issues.
    if (typeof response !== 'object' || response === null || !('transferredReply' in response)) return response;
    const parked = TransferredReplySchema.safeParse(response);
    if (!parked.success || !this.options.transfers) return response;
    const ref = parked.data.transferredReply;
    try {
      return JSON.parse((await this.options.transfers.read(ref, ref.size)).toString('utf8')) as unknown;
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
    const data = checkedRequest(subject, payload);
    const name = wireSubject(subject, this.options.subjectPrefix);
    const h = natsHeaders();
    h.set(REQUEST_ID_HEADER, context.requestId ?? currentRequestId() ?? randomUUID());
    let raw: Uint8Array;
    try {
      const packet = codec.encode({ pattern: name, data, id: randomUUID() });
      raw = (await this.exchange(service, name, packet, h, context.timeoutMs ?? this.options.timeoutMs)).data;
    } catch (error) {
      if (error instanceof NatsError && error.code === (ErrorCode.MaxPayloadExceeded as string)) {
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
    return subject.reply.parse(await this.unpark(reply.response)) as ReplyOf<S>;
  }

  /**
   * Asks for a stream subject (an export): its chunks as they come (see byte-stream.ts). Not bound by the client's
   * timeout: the stream lasts as long as the service keeps sending or saying it is at work (its keepalives), and
   * fails with a 503 within STREAM_IDLE_TIMEOUT_MS of it falling silent. context.timeoutMs bounds the first chunk.
   */
  stream<S extends StreamSubject<z.ZodTypeAny>>(
    subject: S,
    payload: RequestOf<S>,
    context: { requestId?: string; timeoutMs?: number } = {},
  ): AsyncIterableIterator<Uint8Array> {
    return openByteStream(this.connection, subject, payload, {
      firstChunkTimeoutMs: context.timeoutMs,
      subjectPrefix: this.options.subjectPrefix,
      requestId: context.requestId ?? currentRequestId() ?? randomUUID(),
    });
  }
}
