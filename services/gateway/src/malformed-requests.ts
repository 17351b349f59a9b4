import type { Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCodes } from '@helixgate/contracts';
import type { Logger } from 'pino';
import { familyOf, formatError } from './api-families';

/** What Node's HTTP parser refused, as the status and words a client gets. */
function refusal(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'The request headers are larger than this server accepts (16 KB in all).' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return { status: 408, message: 'The request was not received in time.' };
    default:
      return {
        status: 400,
        message:
          'The request could not be read: it is not well-formed HTTP (a header with characters HTTP does not allow, for example).',
      };
  }
}

/**
 * Requests that Node's HTTP parser refuses before any route sees them (a NUL or a bare LF in a header, headers over
 * 16 KB, a malformed request line) get an answer in the family's error format, chosen by the path of the request
 * line when it can be read, instead of Node's bare `400 Bad Request` with no body.
 */
export function answerMalformedRequests(server: Server, logger: Logger): void {
  server.on(
    'clientError',
    (
      error: NodeJS.ErrnoException & { rawPacket?: Buffer },
      socket: Socket & { _httpMessage?: ServerResponse | null },
    ) => {
      if (error.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      // A request before it on this connection (the malformed one was pipelined behind it) still being answered,
      // begun or not: this 400 must not be read as its answer. That answer is finished, then the connection closes.
      const current = socket._httpMessage;
      if (current && !current.writableFinished) {
        current.once('close', () => socket.destroy());
        setTimeout(() => socket.destroy(), 60_000).unref();
        return;
      }
      const requestLine = /^[A-Z]{1,16} (\/\S*) HTTP\/1\.[01]\r?\n/.exec(
        error.rawPacket?.subarray(0, 8192).toString('latin1') ?? '',
      );
      const path = requestLine ? requestLine[1].split('?')[0] : '/';
      const { status, message } = refusal(error.code);
      const wire = formatError(familyOf(path), { status, code: ErrorCodes.badRequest, message });
      const body = Buffer.from(wire.body, 'utf8');
      logger.info({ status, reason: error.code, path: path.slice(0, 200) }, 'malformed request refused');
      // Written, then the connection closed from this side: a client that never closes its own cannot hold it.
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${wire.contentType}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${wire.body}`,
        () => socket.destroy(),
      );
      setTimeout(() => socket.destroy(), 5000).unref();
    },
  );
}
