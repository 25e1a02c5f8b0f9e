import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Admin } from '@sluice/rocketmq';
import { until, useCluster } from './cluster-helper.ts';

const cluster = useCluster();

before(async () => {
  const c = await cluster.ready();
  const admin = new Admin({ namesrvAddr: c.namesrvAddr });
  await admin.createTopic('dist', { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
  await Promise.all(['w1', 'w2', 'w3'].map((w) => c.start(w)));
});

type Status = { connector: { state: string }; tasks: { id: number; state: string; worker_id: string }[] };

test('three workers see one another; a connector created on one is read identically on all', async () => {
  const c = cluster();
  await until('three members everywhere', async () => {
    for (const w of ['w1', 'w2', 'w3']) {
      const ws = (await c.call(w, 'GET', '/workers')).json as { worker_id: string }[];
      if (ws.length !== 3) return false;
    }
    return true;
  });
  const file = join(c.dir, 'a.txt');
  await writeFile(file, '');
  const config = { 'connector.class': 'FileStreamSource', file, topic: 'dist' };
  assert.equal((await c.call('w1', 'POST', '/connectors', { name: 'a', config })).status, 201);
  for (const w of ['w2', 'w3']) {
    await until(`a on ${w}`, async () => (await c.call(w, 'GET', '/connectors/a/config')).status === 200);
    assert.deepEqual((await c.call(w, 'GET', '/connectors/a/config')).json, config);
  }
  assert.equal((await c.call('w2', 'POST', '/connectors', { name: 'a', config })).status, 409);
  assert.equal((await c.call('w3', 'PATCH', '/connectors/a/config', { 'batch.size': '5' })).status, 200);
  await until('update everywhere', async () => {
    for (const w of ['w1', 'w2']) {
      const got = (await c.call(w, 'GET', '/connectors/a/config')).json as Record<string, string>;
      if (got['batch.size'] !== '5') return false;
    }
    return true;
  });
  await until('a running somewhere', async () => {
    const s = (await c.call('w2', 'GET', '/connectors/a/status')).json as Status;
    return s.tasks.length === 1 && s.tasks[0]!.state === 'RUNNING';
  });
  assert.equal((await c.call('w2', 'GET', '/connectors/single/a/disable')).status, 200);
  await until('disabled everywhere', async () => {
    for (const w of ['w1', 'w3'])
      if ((await c.call(w, 'GET', '/getConnectorsStatus/a')).json !== 'disable') return false;
    return true;
  });
  assert.equal((await c.call('w3', 'GET', '/connectors/single/a/enable')).status, 200);
  assert.equal((await c.call('w1', 'DELETE', '/connectors/a')).status, 204);
  await until('removed everywhere', async () => {
    for (const w of ['w2', 'w3'])
      if ((await c.call(w, 'GET', '/getConnectorsStatus/a')).json !== 'remove') return false;
    return true;
  });
});
