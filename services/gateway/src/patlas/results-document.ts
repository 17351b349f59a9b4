import { type ResultType, storedResultsParts } from '@helixgate/contracts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]

/** Where the samples' JSON text lies in a stored document of `size` bytes. */
export function samplesRange(size: number, type: ResultType): { start: number; end: number } {
  const { head, tail } = storedResultsParts(type);
  return { start: Buffer.byteLength(head), end: size - Buffer.byteLength(tail) };
}

const malformed = () => new Error('The stored results document is not in its canonical form.');

/** The end (exclusive) of the JSON string opening at bytes[start]. Quote and backslash never occur inside UTF-8. */
function stringEnd(bytes: Buffer, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    if (bytes[i] === BACKSLASH) i++;
    else if (bytes[i] === QUOTE) return i + 1;
  }
  throw malformed();
}

/** The end (exclusive) of the JSON object or array opening at bytes[start]. */
function valueEnd(bytes: Buffer, start: number, end: number): number {
  if (!OPEN.has(bytes[start])) throw malformed();
  let depth = 0;
  for (let i = start; i < end;) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = stringEnd(bytes, i, end);
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c) && --depth === 0) return i + 1;
    i++;
  }
  throw malformed();
}

export interface SampleWindow {
  /** The first samples, in stored (key) order, parsed. */
  samples: Array<[string, Record<string, unknown>]>;
  /** How many samples the document holds. */
  sampleCount: number;
}

/**
 * The first `limit` samples of a stored document and how many it holds. The others are only counted, never
 * parsed, so a page costs memory for what it shows, not for what the document holds.
 */
export function firstSamples(document: Buffer, type: ResultType, limit: number): SampleWindow {
  const { start, end } = samplesRange(document.length, type);
  if (document[start] !== 0x7b || document[end - 1] !== 0x7d) throw malformed();
  const samples: SampleWindow['samples'] = [];
  let sampleCount = 0;
  for (let i = start + 1; i < end - 1;) {
    const nameEnd = stringEnd(document, i, end);
    const valueStart = nameEnd + 1; // past ':'
    const valueStop = valueEnd(document, valueStart, end);
    if (sampleCount < limit) {
      const name = JSON.parse(document.toString('utf8', i, nameEnd)) as string;
      samples.push([name, JSON.parse(document.toString('utf8', valueStart, valueStop)) as Record<string, unknown>]);
    }
    sampleCount++;
    i = document[valueStop] === COMMA ? valueStop + 1 : valueStop;
  }
  return { samples, sampleCount };
}
