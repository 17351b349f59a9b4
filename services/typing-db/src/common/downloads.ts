import { ByteStream } from '@helixgate/platform';

type Piece = string | Uint8Array;

/**
 * A FASTA or CSV download, sent to the gateway as it is made (libs/platform ByteStream): its first piece is read
 * here, before the handler answers, so that a store that fails at once is still an error status (503), not a
 * download cut short; the rest is read as the gateway takes it, and stops when the gateway's client goes away.
 */
export async function streamDownload(pieces: AsyncIterable<Piece> | Iterable<Piece>): Promise<ByteStream> {
  const iterator = Symbol.asyncIterator in pieces ? pieces[Symbol.asyncIterator]() : pieces[Symbol.iterator]();
  const first = await iterator.next();
  async function* all(): AsyncGenerator<Piece> {
    try {
      if (first.done) return;
      yield first.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.(); // a download stopped early lets go of its cursor
    }
  }
  return new ByteStream(all());
}

/** Size of the pieces a download made from lines is sent in. */
const PIECE_CHARS = 64 * 1024;

/** Lines (of a FASTA or CSV held in memory) joined into pieces of about PIECE_CHARS, made as they are sent. */
export function* linesInPieces(lines: Iterable<string>): Generator<string> {
  let piece = '';
  for (const line of lines) {
    piece += line;
    if (piece.length < PIECE_CHARS) continue;
    yield piece;
    piece = '';
  }
  if (piece) yield piece;
}
