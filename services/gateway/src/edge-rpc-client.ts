import { holdsNul, type ReplyOf, type RequestOf, ServiceError, type Subject } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import type { z } from 'zod';

/**
 * The gateway's RPC client. Everything it sends came from a client, so it is the last place at the edge to refuse a
 * NUL (U+0000) that the route-level checks did not name (a multipart field, a decoded credential): no service, and
 * no database, ever receives one from a client.
 */
export class EdgeRpcClient extends RpcClient {
  override request<S extends Subject<z.ZodTypeAny, z.ZodTypeAny>>(
    subject: S,
    payload: RequestOf<S>,
    context?: { requestId?: string; timeoutMs?: number },
  ): Promise<ReplyOf<S>> {
    if (holdsNul(payload))
      return Promise.reject(
        ServiceError.badRequest('The request holds a NUL character (U+0000), which is not accepted.'),
      );
    return super.request(subject, payload, context);
  }
}
