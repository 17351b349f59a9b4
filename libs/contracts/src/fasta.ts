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
 * The one FASTA reader: records from lines (a text split at CRLF, LF or CR, or a file's lines streamed). Blank
 * lines are skipped; a sequence line before the first header is a SequenceBeforeHeaderError. Case is kept.
 */
export async function* readFasta(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator<FastaRecord> {
  let header: string | undefined;
  let parts: string[] = [];
  for await (const line of lines) {
    if (line.startsWith('>')) {
      if (header !== undefined) yield { header, sequence: parts.join('') };
      header = line.slice(1).trim();
      parts = [];
    } else if (line.trim()) {
      if (header === undefined) throw new SequenceBeforeHeaderError('sequence before the first > header');
      parts.push(line.replace(/\s+/g, ''));
    }
  }
  if (header !== undefined) yield { header, sequence: parts.join('') };
}

/** The lines of a text, at CRLF, LF or CR. */
export function textLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}

/** A header's identifier: its first word. */
export function fastaId(header: string): string {
  return header.split(/\s+/)[0] ?? '';
}
