import { ServiceError } from './errors';

/**
 * Reading JSON a client sent, safely: the text is scanned once for nesting depth and NUL characters before
 * JSON.parse sees it, and the parsed value is refused when one of its keys is a prototype name. Every refusal is a
 * ServiceError 400 (codes below), which the gateway renders in the family's format; callers that answer in their
 * own words (BIGSdb's "Malformed request", pATLAS's texts) catch it and rethrow.
 */

/** Deepest nesting of objects and arrays accepted. The deepest legitimate body (results samples) is 4 deep. */
export const JSON_MAX_DEPTH = 64;

export const JsonErrorCodes = {
  invalid: 'json.invalid',
  tooDeep: 'json.too_deep',
  nul: 'json.nul',
  prototypeKey: 'json.prototype_key',
} as const;

/** Names that, as keys of a plain object, reach its prototype: never accepted as a key from a request. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
export const isPrototypeKey = (name: string): boolean => PROTOTYPE_KEYS.includes(name);

/** A U+0000 or another C0 control character (or DEL): never accepted in a path, query or header value. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
export const hasNul = (text: string): boolean => text.includes('\u0000');

const UTF8 = new TextDecoder();
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const ZERO = 0x30;
const U = 0x75;

const tooDeep = (maxDepth: number) =>
  new ServiceError(400, JsonErrorCodes.tooDeep, `The JSON is nested more than ${maxDepth} levels deep.`);
const nul = () =>
  new ServiceError(400, JsonErrorCodes.nul, 'The JSON holds a NUL character (U+0000), which is not accepted.');

/**
 * The scan, fed in pieces (a streamed body chunk by chunk: give it each chunk decoded as latin1, one character a
 * byte, since every character it looks at is ASCII). It tracks only strings, escapes and nesting; whether the text
 * is valid JSON is left to JSON.parse.
 */
export class JsonScanner {
  private depth = 0;
  private inString = false;
  /** 0: no escape; 1: after a backslash; 2-5: reading the hex digits of a \u escape. */
  private escape = 0;
  private zeros = true;

  constructor(private readonly maxDepth = JSON_MAX_DEPTH) {}

  /** Throws a ServiceError 400 (json.too_deep or json.nul) at the first problem. */
  push(text: string): void {
    const { maxDepth } = this;
    let { depth, inString, escape, zeros } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0) throw nul();
      if (escape === 1) {
        escape = c === U ? 2 : 0;
        zeros = true;
      } else if (escape > 1) {
        if (c !== ZERO) zeros = false;
        if (++escape === 6) {
          if (zeros) throw nul();
          escape = 0;
        }
      } else if (inString) {
        if (c === BACKSLASH) escape = 1;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (++depth > maxDepth) throw tooDeep(maxDepth);
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    this.zeros = zeros;
  }
}

/** Throws json.prototype_key when an object anywhere in value has a prototype name as a key. */
export function refusePrototypeKeys(value: unknown): void {
  const pending: unknown[] = [value];
  while (pending.length) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
      continue;
    }
    for (const key of Object.keys(next)) {
      if (isPrototypeKey(key)) {
        throw new ServiceError(400, JsonErrorCodes.prototypeKey, `"${key}" is not accepted as a name in JSON.`);
      }
      pending.push((next as Record<string, unknown>)[key]);
    }
  }
}

/**
 * JSON.parse behind the scan: refuses (ServiceError 400) text nested deeper than maxDepth, any NUL (raw or \u0000),
 * invalid JSON (json.invalid) and prototype names as keys. Bytes are read as UTF-8.
 */
export function parseJson(input: string | Uint8Array, maxDepth = JSON_MAX_DEPTH): unknown {
  const text = typeof input === 'string' ? input : UTF8.decode(input);
  new JsonScanner(maxDepth).push(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServiceError(400, JsonErrorCodes.invalid, 'The request body is not valid JSON.');
  }
  refusePrototypeKeys(value);
  return value;
}

/** A JSON object: parseJson, then json.invalid for any other value (an empty or blank text is {}). */
export function parseJsonObject(input: string | Uint8Array, maxDepth = JSON_MAX_DEPTH): Record<string, unknown> {
  // Trimmed as before parsing (a UTF-8 byte order mark too, which JSON.parse refuses).
  const text = (typeof input === 'string' ? input : UTF8.decode(input)).trim();
  if (!text) return {};
  const value = parseJson(text, maxDepth);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceError(400, JsonErrorCodes.invalid, 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/**
 * A catch handler that says `message` (a family's own words for a body that is not JSON, e.g. BIGSdb's
 * "Malformed request") for a json.invalid refusal and rethrows every other error as it is (depth, NUL and
 * prototype-key refusals keep their own words).
 */
export function renameInvalidJson(message: string): (error: unknown) => never {
  return (error) => {
    throw error instanceof ServiceError && error.code === JsonErrorCodes.invalid
      ? ServiceError.badRequest(message)
      : error;
  };
}

/** Whether a string anywhere in a value (an object's key or value, an array's item) holds a U+0000. */
export function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (hasNul(next)) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, item] of Object.entries(next)) {
        if (hasNul(key)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}
