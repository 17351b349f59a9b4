import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { readFasta, SequenceBeforeHeaderError } from '@helixgate/contracts';

/** The lines of a text file, streamed (CRLF or LF). */
export async function* lines(path: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of reader) yield line;
}

/** FASTA records of a file: header without `>`, sequence joined across lines and upper-cased. */
export async function* fastaRecords(path: string): AsyncGenerator<{ header: string; sequence: string }> {
  try {
    for await (const { header, sequence } of readFasta(lines(path))) yield { header, sequence: sequence.toUpperCase() };
  } catch (error) {
    if (error instanceof SequenceBeforeHeaderError)
      throw new Error(`${path} is not FASTA: sequence before the first > header`);
    throw error;
  }
}
