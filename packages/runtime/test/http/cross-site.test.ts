import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApiWarning, parseWorkerConfig, WorkerConfigError } from '../../src/config/worker-config.ts';
import type { WorkerApi } from '../../src/herder/herder-api.ts';
import { crossSiteRefusal, type RequestSite } from '../../src/http/cross-site.ts';
import { buildServer } from '../../src/http/server.ts';

// A page the operator opens may make the browser send requests to the API; it must not change
// anything. The HTTP layer alone decides, so a stub worker that records what it was asked will do.

const base: RequestSite = {
  method: 'POST',
  changesState: false,
  host: '127.0.0.1:8082',
  secFetchSite: undefined,
  origin: undefined,
  referer: undefined,
};
const none = new Set<string>();

test('the verdict: cross-site and same-site pages are refused; curl, the own page and allowed origins pass', () => {
  const v = (r: Partial<RequestSite>, allowed = none) => crossSiteRefusal({ ...base, ...r }, allowed);
  assert.equal(v({}), undefined, 'no browser headers: curl, scripts, the CLI');
  assert.match(v({ secFetchSite: 'cross-site' })!, /Sec-Fetch-Site: cross-site/);
  assert.match(v({ secFetchSite: 'same-site', origin: 'http://127.0.0.1:3000' })!, /same-site/);
  assert.equal(v({ secFetchSite: 'same-origin', origin: 'http://127.0.0.1:8082' }), undefined);
  assert.equal(v({ secFetchSite: 'none' }), undefined, 'typed in the address bar');
  assert.match(v({ origin: 'http://evil.example' })!, /from http:\/\/evil\.example/, 'an older browser');
  assert.match(v({ origin: 'null' })!, /from null/, 'a sandboxed page or a data: URL');
  assert.match(v({ referer: 'http://evil.example/page.html' })!, /evil/);
  assert.equal(v({ origin: 'http://127.0.0.1:8082' }), undefined);
  assert.equal(
    v({ secFetchSite: 'cross-site', origin: 'https://ui.example.com' }, new Set(['https://ui.example.com'])),
    undefined,
  );
  assert.equal(
    v({ method: 'GET', secFetchSite: 'cross-site' }),
    undefined,
    'reads: CORS keeps the answer from the page',
  );
  assert.match(v({ method: 'GET', changesState: true, secFetchSite: 'cross-site' })!, /another site/);
});

function stubWorker() {
  const calls: string[] = [];
  const api = {
    workerId: 'w',
    clusterId: 'standalone',
    listConnectors: () => [],
    workers: () => [{ workerId: 'w' }],
    createConnector: async (name: string) => {
      calls.push(`create ${name}`);
      return {};
    },
    pauseConnector: async (name: string) => {
      calls.push(`pause ${name}`);
    },
  } as unknown as WorkerApi;
  return { api, calls };
}

test('a cross-site GET to a seed write route and a cross-site PUT are refused with 403 and change nothing', async () => {
  const { api, calls } = stubWorker();
  const app = buildServer(api);
  try {
    const fromPage = { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' };
    const img = await app.inject({
      url: '/connectors/create/x?config={"connector.class":"FileStreamSink"}',
      headers: { 'sec-fetch-site': 'cross-site', referer: 'http://evil.example/' },
    });
    assert.equal(img.statusCode, 403);
    assert.match(img.json().message, /another site.*nothing changed.*httpAllowedOrigins/);
    const put = await app.inject({ method: 'PUT', url: '/connectors/x/pause', headers: fromPage });
    assert.equal(put.statusCode, 403);
    assert.deepEqual(calls, []);
    // The same requests as curl sends them, and from the worker's own page, go through.
    assert.equal((await app.inject({ url: '/connectors/create/x?config={}' })).body, 'success');
    const own = { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80', host: 'localhost:80' };
    assert.equal(
      (await app.inject({ method: 'PUT', url: '/connectors/x/pause', headers: own })).statusCode,
      202,
    );
    assert.deepEqual(calls, ['create x', 'pause x']);
    assert.equal((await app.inject({ url: '/connectors', headers: fromPage })).statusCode, 200, 'a read');
  } finally {
    await app.close();
  }
  const allowing = buildServer(api, { allowedOrigins: ['http://evil.example'] });
  try {
    const put = await allowing.inject({
      method: 'PUT',
      url: '/connectors/y/pause',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' },
    });
    assert.equal(put.statusCode, 202);
  } finally {
    await allowing.close();
  }
});

test('seedRoutes=readonly turns off the seed GETs that write; disabled, all of them', async () => {
  const { api, calls } = stubWorker();
  const readonly = buildServer(api, { seedRoutes: 'readonly' });
  try {
    assert.equal((await readonly.inject({ url: '/getConnectors' })).statusCode, 200);
    const w = await readonly.inject({ url: '/connectors/create/x?config={}' });
    assert.equal(w.statusCode, 403);
    assert.match(w.json().message, /seedRoutes=readonly.*POST \/connectors/);
    assert.equal((await readonly.inject({ method: 'PUT', url: '/connectors/x/pause' })).statusCode, 202);
  } finally {
    await readonly.close();
  }
  const disabled = buildServer(api, { seedRoutes: 'disabled' });
  try {
    assert.match((await disabled.inject({ url: '/getConnectors' })).json().message, /seedRoutes=disabled/);
  } finally {
    await disabled.close();
  }
  assert.deepEqual(calls, ['pause x']);
});

test('worker keys: seedRoutes and httpAllowedOrigins are checked; an open API on a public address warns', () => {
  const conf = (extra: string) =>
    parseWorkerConfig(`workerId=w\nstorePathRootDir=/tmp/x\nnamesrvAddr=n:9876\n${extra}`);
  assert.equal(conf('').config.seedRoutes, 'enabled');
  assert.throws(
    () => conf('seedRoutes=off\n'),
    (e) => e instanceof WorkerConfigError && /seedRoutes must be one of/.test(e.message),
  );
  assert.deepEqual(conf('httpAllowedOrigins=https://ui.example.com:8443\n').config.httpAllowedOrigins, [
    'https://ui.example.com:8443',
  ]);
  assert.throws(() => conf('httpAllowedOrigins=ui.example.com/path\n'), /takes origins/);
  assert.equal(openApiWarning(conf('').config), undefined, '127.0.0.1 by default');
  assert.match(
    openApiWarning(conf('httpBindAddress=0.0.0.0\n').config)!,
    /reachable from other hosts.*httpAuthToken/,
  );
  assert.equal(openApiWarning(conf('httpBindAddress=0.0.0.0\nhttpAuthToken=t\n').config), undefined);
});
