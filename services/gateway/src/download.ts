import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/**
 * Streams a download from the object store to the client. Its first chunk is read before anything is sent, so
 * an object that is gone is still answered as an error in the family's format; a read that fails after that
 * ends the response cut short (the client sees it), and a client that goes away just stops the read.
 */
export async function sendDownload(
  response: Response,
  headers: Record<string, string | number>,
  chunks: AsyncGenerator<Uint8Array>,
): Promise<void> {
  const first = await chunks.next();
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
    void chunks.return(undefined).catch(() => undefined); // a read the response never pulled on lets go of the store
  }
}
