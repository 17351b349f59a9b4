import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/**
 * Streams a download (an object-store read, a service's byte stream) to the client. Its first chunk is read before
 * anything is sent, so an object that is gone, or a service that refuses, is still answered as an error in the
 * family's format; a read that fails after that ends the response cut short (the client sees it), and a client that
 * goes away stops the read at once, even while it waits for its next chunk.
 */
export async function sendDownload(
  response: Response,
  headers: Record<string, string | number>,
  chunks: AsyncIterableIterator<Uint8Array>,
): Promise<void> {
  const letGo = () => void chunks.return?.(undefined)?.catch(() => undefined);
  const gone = () => {
    if (!response.writableFinished) letGo();
  };
  response.once('close', gone);
  let first: IteratorResult<Uint8Array>;
  try {
    first = await chunks.next();
  } catch (error) {
    response.off('close', gone);
    throw error;
  }
  async function* all() {
    if (first.done) return;
    yield first.value;
    yield* chunks;
  }
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  try {
    await pipeline(Readable.from(all()), response);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return; // the client went away
    throw error;
  } finally {
    response.off('close', gone);
    letGo(); // a read the response never pulled on lets go of the store
  }
}
