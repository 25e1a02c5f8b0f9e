import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePort } from '../src/index.ts';

function bind(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve()));
  });
}

test('freePort returns a port whose neighbours at the given offsets are bindable too', async () => {
  const port = await freePort([-2, 1]);
  await bind(port);
  await bind(port - 2);
  await bind(port + 1);
});

test('freePort never hands out the same port twice in one process', async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length);
});
