import { connect } from 'node:net';

/** One HTTP/1.1 request written byte for byte: any path, header or body a hostile client could send. */
export interface RawRequest {
  method: string;
  /** Sent as it is on the request line (already percent-encoded, or deliberately not). */
  path: string;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
  /** Milliseconds from the first byte sent to the end of the response. */
  ms: number;
}

/** What a request came to when no answer arrived: the server hung or closed without answering. */
export class NoAnswer extends Error {
  constructor(
    readonly kind: 'hang' | 'closed',
    message: string,
  ) {
    super(message);
  }
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends a request over a fresh TCP connection (`Connection: close`) and reads the whole answer, rejecting with
 * NoAnswer('hang') after timeoutMs or NoAnswer('closed') when the server ends the connection without a status line.
 * No header is added but Host, Connection and (for a body) Content-Length, unless the request gives its own.
 */
export function rawRequest(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body =
    request.body === undefined
      ? undefined
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(request.body, 'utf8');
  const given = new Set((request.headers ?? []).map(([name]) => name.toLowerCase()));
  const headers: Array<[string, string]> = [...(request.headers ?? [])];
  if (!given.has('host')) headers.unshift(['Host', url.host]);
  if (!given.has('connection')) headers.push(['Connection', 'close']);
  if (body && !given.has('content-length') && !given.has('transfer-encoding'))
    headers.push(['Content-Length', String(body.length)]);
  const head = Buffer.from(
    `${request.method} ${request.path} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`,
    'latin1',
  );
  const sent = body ? Buffer.concat([head, body]) : head;

  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(
      () => settle(() => reject(new NoAnswer('hang', `no answer within ${timeoutMs} ms`))),
      timeoutMs,
    );
    const finish = () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(all.subarray(0, Math.max(split, 0)).toString('latin1'));
      if (split < 0 || !statusLine) {
        settle(() =>
          reject(new NoAnswer('closed', `connection closed after ${all.length} bytes without an HTTP answer`)),
        );
        return;
      }
      const responseHeaders = new Map<string, string>();
      for (const line of all.subarray(0, split).toString('latin1').split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) responseHeaders.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const raw = all.subarray(split + 4);
      const responseBody = responseHeaders.get('transfer-encoding')?.includes('chunked') ? dechunk(raw) : raw;
      settle(() =>
        resolve({
          status: Number(statusLine[1]),
          headers: responseHeaders,
          body: responseBody,
          ms: Date.now() - started,
        }),
      );
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', finish);
    socket.on('close', finish);
    // A server that answers early (a 413 before the whole body was read) may close while the body is still being
    // written: the write fails (EPIPE, ECONNRESET), and what it answered is still read before 'close'.
    socket.on('error', () => undefined);
    socket.write(sent, () => undefined);
  });
}
