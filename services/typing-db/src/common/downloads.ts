import type { TransferStore } from '@helixgate/platform';

/** Downloads go to the object store as they are read: no FASTA or CSV is ever whole in memory. */
const DOWNLOAD_LIMIT = 2 * 1024 ** 3;

/** A FASTA or CSV download, parked in the transfer store as its chunks are made. */
export function parkDownload(transfers: TransferStore, chunks: AsyncIterable<string>) {
  return transfers.put(chunks, DOWNLOAD_LIMIT, 'The download is too large.');
}
