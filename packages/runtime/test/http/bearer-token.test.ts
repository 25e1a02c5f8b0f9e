import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkerConfig, WorkerConfigError } from '../../src/config/worker-config.ts';
import type { WorkerApi } from '../../src/herder/herder-api.ts';
import { buildServer } from '../../src/http/server.ts';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.ts';

// Which routes the token covers: everything but what httpAuthExempt names.

const api = {
  workerId: 'w',
  clusterId: 'standalone',
  listConnectors: () => [],
  workers: () => [{ workerId: 'w' }],
} as unknown as WorkerApi;
const metrics = new WorkerMetrics({ workerId: 'w', clusterId: 'standalone', mode: 'standalone' });

async function statuses(authExempt?: ('health' | 'ui' | 'metrics')[]) {
  const app = buildServer(api, { authToken: 't0ken', metrics, ...(authExempt ? { authExempt } : {}) });
  const out: Record<string, number> = {};
  for (const url of ['/health', '/ui/', '/ui/app.js', '/metrics', '/connectors'])
    out[url] = (await app.inject({ url })).statusCode;
  out['/connectors with the token'] = (
    await app.inject({ url: '/connectors', headers: { authorization: 'Bearer t0ken' } })
  ).statusCode;
  out['/connectors with another token'] = (
    await app.inject({ url: '/connectors', headers: { authorization: 'Bearer t0kem' } })
  ).statusCode;
  await app.close();
  return out;
}

test('by default the health check and the dashboard’s files are open; the data and /metrics need the token', async () => {
  assert.deepEqual(await statuses(), {
    '/health': 200,
    '/ui/': 200,
    '/ui/app.js': 200,
    '/metrics': 401,
    '/connectors': 401,
    '/connectors with the token': 200,
    '/connectors with another token': 401,
  });
});

test('httpAuthExempt: nothing open, or /metrics open for a Prometheus without credentials', async () => {
  const closed = await statuses([]);
  assert.equal(closed['/health'], 401);
  assert.equal(closed['/ui/'], 401);
  assert.equal(closed['/metrics'], 401);
  const scraped = await statuses(['health', 'metrics']);
  assert.equal(scraped['/metrics'], 200);
  assert.equal(scraped['/ui/'], 401);
  assert.equal(scraped['/connectors'], 401);
});

test('httpAuthExempt takes health, ui and metrics; httpToken is read as httpAuthToken', () => {
  const base = 'workerId=w\nstorePathRootDir=/tmp/x\nnamesrvAddr=127.0.0.1:9876\n';
  assert.deepEqual(parseWorkerConfig(base).config.httpAuthExempt, ['health', 'ui']);
  assert.deepEqual(parseWorkerConfig(`${base}httpAuthExempt=`).config.httpAuthExempt, []);
  assert.throws(() => parseWorkerConfig(`${base}httpAuthExempt=docs`), WorkerConfigError);
  assert.equal(parseWorkerConfig(`${base}httpToken=abc`).config.httpAuthToken, 'abc');
});
