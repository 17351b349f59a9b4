import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { lingerBeforeClosing } from '../src/lingering-close';

/** A client that sends an 11 MB body and reads only after a pause: what it reads of the server's early 413. */
async function uploadThenRead(port: number): Promise<string> {
  const body = Buffer.alloc(11 * 1024 * 1024, 'x');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.pause();
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
    socket.write(`POST /results/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body, () => undefined);
    setTimeout(() => socket.resume(), 300);
  });
}

test('an answer sent before the upload ended (a 413) reaches a client that reads it only after sending', async () => {
  const server = createServer((_req, res) => {
    res.statusCode = 413;
    res.end('The request body is larger than this server accepts.');
  });
  lingerBeforeClosing(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    // Without lingering, every one of these loses its answer to a reset (checked when this was written).
    for (let i = 0; i < 5; i += 1) assert.match(await uploadThenRead(port), /^HTTP\/1\.1 413 /);
  } finally {
    server.close();
  }
});
