import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WorkerApi } from '../../src/herder/herder-api.ts';
import { buildServer } from '../../src/http/server.ts';

// The HTTP layer alone: no broker is involved in authentication, so a stub worker will do.
const stub = {
  workerId: 'w',
  listConnectors: () => [],
  workers: () => [{ workerId: 'w', clientId: 'w@standalone' }],
} as unknown as WorkerApi;

test('with a token, every route but /health needs the bearer token', async () => {
  const app = buildServer(stub, { authToken: 's3cret' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    assert.equal((await fetch(`${base}/health`)).status, 200);
    assert.equal((await fetch(`${base}/connectors`)).status, 401);
    assert.equal(
      (await fetch(`${base}/getConnectors`, { headers: { authorization: 'Bearer wrong!' } })).status,
      401,
    );
    const ok = await fetch(`${base}/connectors`, { headers: { authorization: 'Bearer s3cret' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), []);
  } finally {
    await app.close();
  }
});

test('with a certificate and key, the API speaks HTTPS', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = await readFile(join(dir, 'cert.pem'));
    const app = buildServer(stub, { tls: { cert, key: await readFile(join(dir, 'key.pem')) } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        request(
          {
            host: '127.0.0.1',
            port,
            path: '/workers',
            ca: cert,
            servername: '127.0.0.1',
            checkServerIdentity: () => undefined,
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => {
              text += c.toString();
            });
            res.on('end', () => resolve(text));
          },
        )
          .on('error', reject)
          .end();
      });
      assert.deepEqual(JSON.parse(body), [{ worker_id: 'w' }]);
    } finally {
      await app.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
