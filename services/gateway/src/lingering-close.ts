import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Longest the gateway keeps reading a connection it has answered and is closing, for the client to stop sending. */
export const LINGER_MS = 5_000;

/**
 * Closes answered connections the way nginx's lingering_close does. Node closes a connection right after its last
 * answer (`Connection: close`, or an answer sent before the body was read, like a 413 for an oversized upload);
 * if the client is still sending, the unread bytes make the kernel send a reset, and a client that had not yet read
 * the answer loses it. Here the gateway ends its side, goes on reading (and discarding) what still comes, and closes
 * once the client has finished, or after LINGER_MS.
 */
export function lingerBeforeClosing(server: Server): void {
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = () => {
      if (socket.destroyed) return;
      socket.end();
      const cutOff = setTimeout(() => socket.destroy(), LINGER_MS);
      cutOff.unref();
      socket.once('end', () => socket.destroy());
      socket.once('close', () => clearTimeout(cutOff));
    };
  });
}
