/** One FASTA record: the header line without its '>' (trimmed), and the sequence with all whitespace removed. */
export interface FastaRecord {
  header: string;
  sequence: string;
}

/** The text of a FASTA record before any header line: each caller words this in its own API's terms. */
export class SequenceBeforeHeaderError extends Error {
  override name = 'SequenceBeforeHeaderError';
}

/**
 * The one FASTA reader, fed line by line (a text split at CRLF, LF or CR, or a file's lines streamed): it returns
 * each record as the next header (or the end) completes it. Blank lines are skipped; a sequence line before the
 * first header is a SequenceBeforeHeaderError. Case is kept.
 */
export class FastaReader {
  private header: string | undefined;
  private parts: string[] = [];

  /** Takes one line; returns the record it completes, if any. */
  line(line: string): FastaRecord | undefined {
    if (line.startsWith('>')) {
      const done = this.end();
      this.header = line.slice(1).trim();
      this.parts = [];
      return done;
    }
    if (line.trim()) {
      if (this.header === undefined) throw new SequenceBeforeHeaderError('sequence before the first > header');
      this.parts.push(line.replace(/\s+/g, ''));
    }
    return undefined;
  }

  /** The record in progress, at the end of the input. */
  end(): FastaRecord | undefined {
    return this.header === undefined ? undefined : { header: this.header, sequence: this.parts.join('') };
  }
}

/** The records of lines held in memory. */
export function* readFastaLines(lines: Iterable<string>): Generator<FastaRecord> {
  const reader = new FastaReader();
  for (const line of lines) {
    const record = reader.line(line);
    if (record) yield record;
  }
  const last = reader.end();
  if (last) yield last;
}

/** The records of lines as they arrive (a file read with readline). */
export async function* readFasta(lines: AsyncIterable<string>): AsyncGenerator<FastaRecord> {
  const reader = new FastaReader();
  for await (const line of lines) {
    const record = reader.line(line);
    if (record) yield record;
  }
  const last = reader.end();
  if (last) yield last;
}

/** The lines of a text, at CRLF, LF or CR. */
export function textLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}

/** A header's identifier: its first word. */
export function fastaId(header: string): string {
  return header.split(/\s+/)[0] ?? '';
}
