// The server's terminal output: a browser tab closing its event stream (a
// client that went away) is not an error and prints nothing, while the
// server still says what it is doing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';
import { createWorkshop, setOpen } from './helpers.mjs';

// Open the presenter's event stream on a raw socket, wait for its first bytes, then reset the connection.
function openAndDrop(server, path) {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname, () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    sock.once('data', () => { sock.resetAndDestroy(); resolve(); });
    sock.on('error', reject);
  });
}

test('closed event streams leave no error in the server log', async () => {
  const server = await startServer();
  try {
    const ws = await createWorkshop(server);
    for (let i = 0; i < 5; i++) await openAndDrop(server, `/api/workshops/${ws.id}/events?answers=1`);
    // Events for the streams that are gone: the server writes to closed sockets.
    for (const q of ws.questions) {
      await setOpen(server, q.id, true);
      await setOpen(server, q.id, false);
    }
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    const { code } = await server.stop();
    const { stderr } = server.output();
    server.cleanup();
    assert.equal(code, 0);
    assert.doesNotMatch(stderr, /Failed to send|no longer available|closed by remote/, stderr);
  }
});
