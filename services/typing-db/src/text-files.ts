import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The lines of a text file, streamed (CRLF or LF). */
export async function* lines(path: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of reader) yield line;
}

/** FASTA records of a file: header without `>`, sequence joined across lines and upper-cased. */
export async function* fastaRecords(path: string): AsyncGenerator<{ header: string; sequence: string }> {
  let header: string | undefined;
  let sequence: string[] = [];
  for await (const line of lines(path)) {
    if (line.startsWith('>')) {
      if (header !== undefined) yield { header, sequence: sequence.join('') };
      header = line.slice(1).trim();
      sequence = [];
    } else if (line.trim()) {
      if (header === undefined) throw new Error(`${path} is not FASTA: sequence before the first > header`);
      sequence.push(line.replace(/\s+/g, '').toUpperCase());
    }
  }
  if (header !== undefined) yield { header, sequence: sequence.join('') };
}
