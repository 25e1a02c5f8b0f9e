import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Logger } from '@sluice/connect-api';
import fileConnectors from '@sluice/connector-file';
import { Herder } from '../../src/herder/herder.ts';
import { buildServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';
import { MemoryBackend } from '../herder/memory-backend.ts';

const lines: { level: string; msg: string; fields: Record<string, unknown> | undefined }[] = [];
const capture: Logger = {
  debug: (msg, fields) => lines.push({ level: 'debug', msg, fields }),
  info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
};
const herder = new Herder(new MemoryBackend(), {
  registry: new PluginRegistry([fileConnectors]),
  logger: silentLogger,
  callTimeoutMs: 1000,
  pluginPaths: [],
});
const app = buildServer(herder, { logger: capture, authToken: 's3cret' });
after(() => app.close());

test('one access-log line per request: method, route pattern, status, ms; never the URL, a body or a token', async () => {
  const secret = encodeURIComponent(JSON.stringify({ 'db.password': 'hunter2' }));
  await app.inject({
    method: 'GET',
    url: `/connectors/create/x?config=${secret}`,
    headers: { authorization: 'Bearer s3cret' },
  });
  await app.inject({
    method: 'POST',
    url: '/connectors',
    payload: { name: 'x', config: { pass: 'hunter2' } },
  });
  await app.inject({ method: 'GET', url: '/health' });
  await app.inject({ method: 'GET', url: '/nope', headers: { authorization: 'Bearer s3cret' } });
  const http = lines.filter((l) => l.msg === 'http');
  assert.deepEqual(
    http.map((l) => [l.level, l.fields?.method, l.fields?.route, l.fields?.status]),
    [
      ['info', 'GET', '/connectors/create/:connectorName', 400],
      ['info', 'POST', '/connectors', 401],
      ['debug', 'GET', '/health', 200],
      ['info', 'GET', '(no route)', 404],
    ],
  );
  for (const l of http) assert.equal(typeof l.fields?.ms, 'number');
  assert.doesNotMatch(JSON.stringify(lines), /hunter2|s3cret/);
});
