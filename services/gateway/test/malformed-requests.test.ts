import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { answerMalformedRequests } from '../src/malformed-requests';

/** Sends raw bytes and collects what comes back until the server closes the connection (or `waitMs` passes). */
function exchange(port: number, bytes: string, waitMs = 3000): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedByServer: false });
    }, waitMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closedByServer: true });
    });
    socket.on('error', () => undefined);
    socket.write(bytes); // and never ends its own side, as a hostile client would not
  });
}

describe('requests the HTTP parser refuses', () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/later')
        setTimeout(() => res.end('later'), 300); // an answer not begun yet (an RPC pending)
      else if (req.url === '/slow') {
        // A response under way when a malformed request arrives behind it on the same connection.
        res.write('0123456789');
        setTimeout(() => res.end('end'), 300);
      } else res.end('ok');
    });
    answerMalformedRequests(server, pino({ level: 'silent' }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('a NUL in a header: 400 in the family of the path, and the server closes the connection', async () => {
    const cgi = await exchange(port, 'GET /api/v1 HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n');
    assert.match(cgi.text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(cgi.text, /\r\n\r\n\{"error_code":400,"message":"The request could not be read/);
    assert.equal(cgi.closedByServer, true);
    const bigsdb = await exchange(port, 'GET /db/x HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n');
    assert.match(bigsdb.text, /"status":400,"title":"Error 400 - Bad Request"/);
    const patlas = await exchange(port, 'GET /results?query=1 HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n');
    assert.match(patlas.text, /Content-Type: text\/plain/);
  });

  test('headers over 16 KB: 431', async () => {
    const { text, closedByServer } = await exchange(
      port,
      `GET /analytics_automated/job/ HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    assert.match(text, /^HTTP\/1\.1 431 /);
    assert.match(text, /\{"error":"The request headers are larger/);
    assert.equal(closedByServer, true);
  });

  test('a malformed request pipelined behind one whose answer has not begun: that answer comes, no 400 instead of it', async () => {
    const { text, closedByServer } = await exchange(
      port,
      'GET /later HTTP/1.1\r\nHost: x\r\n\r\nGET /db HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n',
    );
    assert.doesNotMatch(text, /HTTP\/1\.1 400/);
    assert.match(text, /^HTTP\/1\.1 200 OK[\s\S]*later$/);
    assert.equal(closedByServer, true);
  });

  test('a malformed request pipelined behind a response under way: that response is finished, nothing written into it, then the connection closes', async () => {
    const { text, closedByServer } = await exchange(
      port,
      'GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /db HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n',
    );
    assert.doesNotMatch(text, /HTTP\/1\.1 400/);
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.match(text, /0123456789\r\n3\r\nend\r\n0\r\n\r\n$/, 'the response under way is finished');
    assert.equal(closedByServer, true);
  });
});
