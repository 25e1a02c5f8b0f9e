import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runClient, UsageError } from '../../src/cli/client.ts';
import { useHttpWorker } from './http-worker.ts';

const http = useHttpWorker('rest-1', 'rest');

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${http().port}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

test('the connector lifecycle through the resource API', async () => {
  const config = { 'connector.class': 'FileStreamSource', file: join(http().dir, 'in.txt'), topic: 'rest' };
  const created = await call('POST', '/connectors', { name: 'r1', config });
  assert.equal(created.status, 201);
  assert.deepEqual((created.json as { tasks: unknown[] }).tasks, [{ connector: 'r1', task: 0 }]);
  assert.deepEqual((await call('GET', '/connectors')).json, ['r1']);
  const expanded = (await call('GET', '/connectors?expand=status&expand=info')).json as Record<
    string,
    { status: { connector: { state: string } }; info: unknown }
  >;
  assert.equal(expanded.r1!.status.connector.state, 'RUNNING');
  assert.ok(expanded.r1!.info);
  assert.equal(((await call('GET', '/connectors/r1/config')).json as Record<string, string>).topic, 'rest');
  assert.equal((await call('PATCH', '/connectors/r1/config', { 'batch.size': '7' })).status, 200);
  assert.equal(http().worker.getConnector('r1').config['batch.size'], '7');
  const st = (await call('GET', '/connectors/r1/status')).json as {
    tasks: { id: number; state: string; worker_id: string }[];
  };
  assert.deepEqual(st.tasks, [{ id: 0, state: 'RUNNING', worker_id: 'rest-1' }]);
  assert.equal(((await call('GET', '/connectors/r1/tasks')).json as unknown[]).length, 1);
  assert.equal(
    ((await call('GET', '/connectors/r1/tasks/0/status')).json as { state: string }).state,
    'RUNNING',
  );
  assert.equal((await call('GET', '/connectors/r1/tasks/9/status')).status, 404);

  assert.equal((await call('PUT', '/connectors/r1/pause')).status, 202);
  assert.equal(
    ((await call('GET', '/connectors/r1/status')).json as { connector: { state: string } }).connector.state,
    'PAUSED',
  );
  assert.equal((await call('PUT', '/connectors/r1/resume')).status, 202);
  assert.equal(
    ((await call('GET', '/connectors/r1/status')).json as { connector: { state: string } }).connector.state,
    'RUNNING',
  );
  assert.equal((await call('POST', '/connectors/r1/restart')).status, 202);
  assert.equal((await call('POST', '/connectors/r1/tasks/0/restart')).status, 204);
  assert.equal((await call('PUT', '/connectors/r1/stop')).status, 202);
  assert.equal(
    ((await call('GET', '/connectors/r1/status')).json as { connector: { state: string } }).connector.state,
    'STOPPED',
  );

  assert.equal((await call('DELETE', '/connectors/r1')).status, 204);
  const gone = await call('GET', '/connectors/r1');
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.json, { error_code: 404, message: 'connector r1 not found' });
});

test('PUT config creates or replaces', async () => {
  const config = { 'connector.class': 'FileStreamSource', file: join(http().dir, 'in.txt'), topic: 'rest' };
  assert.equal((await call('PUT', '/connectors/p1/config', config)).status, 201);
  assert.equal((await call('PUT', '/connectors/p1/config', { ...config, 'batch.size': '3' })).status, 200);
  assert.equal(http().worker.getConnector('p1').config['batch.size'], '3');
  await call('DELETE', '/connectors/p1');
});

test('plugins, validation, workers, health', async () => {
  const plugins = (await call('GET', '/connector-plugins')).json as { class: string; type: string }[];
  assert.deepEqual(plugins.map((p) => `${p.class}:${p.type}`).sort(), [
    'FileStreamSink:sink',
    'FileStreamSource:source',
  ]);
  const v = (await call('PUT', '/connector-plugins/FileStreamSource/config/validate', { 'batch.size': '0' }))
    .json as {
    error_count: number;
    configs: { value: { name: string; errors: string[] } }[];
  };
  assert.equal(v.error_count, 3);
  assert.match(v.configs.find((c) => c.value.name === 'file')!.value.errors[0]!, /required/);
  assert.match(v.configs.find((c) => c.value.name === 'batch.size')!.value.errors[0]!, /at least 1/);
  assert.equal((await call('PUT', '/connector-plugins/Nope/config/validate', {})).status, 400);
  assert.deepEqual((await call('GET', '/workers')).json, [{ worker_id: 'rest-1' }]);
  assert.deepEqual((await call('GET', '/health')).json, { status: 'UP', workerId: 'rest-1' });
});

test('bad bodies: malformed JSON, wrong shapes, 10 MB; unknown routes and methods', async () => {
  assert.equal((await call('POST', '/connectors', '{"name":')).status, 400);
  assert.equal((await call('POST', '/connectors', { config: {} })).status, 400);
  assert.equal((await call('POST', '/connectors', { name: 'x', config: { 'tasks.num': 3 } })).status, 400);
  assert.equal((await call('POST', '/connectors', { name: 'x', config: [] })).status, 400);
  const huge = JSON.stringify({ name: 'big', config: { pad: 'x'.repeat(10 * 1024 * 1024) } });
  assert.equal((await call('POST', '/connectors', huge)).status, 413);
  assert.equal((await call('GET', '/nope')).status, 404);
  assert.equal((await call('PATCH', '/connectors')).status, 404);
  assert.deepEqual(http().worker.listConnectors(), []);
});

test('the sluice client commands, against the real server', async () => {
  const lines: string[] = [];
  const run = (...args: string[]) =>
    runClient([...args, '--url', `http://127.0.0.1:${http().port}`], (s) => lines.push(s));
  const props = join(http().dir, 'cli.properties');
  await writeFile(
    props,
    `name=cli1\nconnector.class=FileStreamSource\nfile=${join(http().dir, 'in.txt')}\ntopic=rest\n`,
  );

  assert.equal(await run('plugins'), 0);
  assert.match(lines.join(''), /^CLASS\s+TYPE\s+VERSION\n/);
  assert.match(lines.join(''), /FileStreamSink\s+sink\s+0\.1\.0/);
  assert.equal(await run('connectors', 'create', props), 0);
  lines.length = 0;
  assert.equal(await run('connectors', 'list'), 0);
  assert.match(lines.join(''), /cli1\s+source\s+RUNNING\s+1\/1 running/);
  assert.equal(await run('connectors', 'pause', 'cli1'), 0);
  lines.length = 0;
  assert.equal(await run('connectors', 'status', 'cli1', '--json'), 0);
  assert.equal(JSON.parse(lines.join('')).connector.state, 'PAUSED');
  assert.equal(await run('connectors', 'resume', 'cli1'), 0);
  assert.equal(await run('connectors', 'update', 'cli1', '{"batch.size":"9"}'), 0);
  lines.length = 0;
  assert.equal(await run('connectors', 'get', 'cli1'), 0);
  assert.match(lines.join(''), /batch\.size\s+9/);
  assert.equal(await run('connectors', 'restart', 'cli1'), 0);
  assert.equal(await run('connectors', 'delete', 'cli1'), 0);
  lines.length = 0;
  assert.equal(await run('connectors', 'status', 'cli1'), 1, 'a refused request exits 1');
  assert.match(lines.join(''), /error 404: connector cli1 not found/);
  await assert.rejects(run('connectors', 'frobnicate', 'x'), UsageError);
  await assert.rejects(run('connectors', 'update', 'x', '{bad'), /not valid JSON/);
});
