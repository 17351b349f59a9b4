import { z } from 'zod';

/**
 * A file or large body parked in the JetStream object store, passed by name instead of riding in a message.
 * The bucket is the shared transfer bucket; objects in it expire on their own.
 */
export const ObjectRefSchema = z.object({
  bucket: z.string().regex(/^[A-Za-z0-9_-]+$/),
  name: z.string().min(1).max(256),
  size: z.number().int().nonnegative(),
});
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

/** Largest JSON a message carries inline; anything bigger travels as an ObjectRef. */
export const INLINE_PAYLOAD_LIMIT_BYTES = 192 * 1024;

/**
 * What a handler sends instead of a reply larger than INLINE_PAYLOAD_LIMIT_BYTES (a page of 19,000 links, a
 * contig of megabases): the JSON reply parked in the object store. RpcClient fetches it back transparently.
 */
export const TransferredReplySchema = z.object({ transferredReply: ObjectRefSchema }).strict();

/**
 * A client's JSON body as it arrived, unparsed: inline when it fits in a message, otherwise parked in the object
 * store by the gateway. The service parses it (a base64 genome is tens of megabytes, a pATLAS document ten).
 */
export const RawJsonBodySchema = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ ref: ObjectRefSchema }).strict(),
]);
export type RawJsonBody = z.infer<typeof RawJsonBodySchema>;
