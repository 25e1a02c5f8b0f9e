import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Admin, Perm } from '@sluice/rocketmq';
import { until, useCluster } from './cluster-helper.ts';

// Two RocketMQ masters. The cluster's state topics are one total order each, so they must be
// read from one queue by every worker, whichever master is away when a worker starts.

const cluster = useCluster({ rocketmqBrokers: 2 });

interface Status {
  tasks: { id: number; state: string; worker_id: string }[];
}

const workerIds = async (id: string) =>
  ((await cluster().call(id, 'GET', '/workers')).json as { worker_id: string }[])
    .map((w) => w.worker_id)
    .sort();

test('state topics live on one master; the other holds a marker that routes nowhere', async () => {
  const c = await cluster.ready();
  await c.start('w1');
  const admin = new Admin({ namesrvAddr: c.namesrvAddr });
  try {
    for (const topic of [
      'connector-cluster-topic',
      'connector-config-topic',
      'connector-offset-topic',
      'connector-position-topic',
    ]) {
      const route = await admin.routeInfo(topic);
      const perms = Object.fromEntries(route!.queueDatas.map((q) => [q.brokerName, q.perm]));
      assert.deepEqual(perms, { 'broker-a': Perm.READ | Perm.WRITE, 'broker-b': 0 }, topic);
    }
  } finally {
    admin.close();
  }
});

test('a worker started while the state broker restarts waits for it, then joins the one cluster', async () => {
  const c = cluster();
  for (const name of ['s1', 's2']) {
    const file = join(c.dir, `${name}.txt`);
    await writeFile(file, '');
    const config = { 'connector.class': 'FileStreamSource', file, topic: 'state-broker-data' };
    assert.equal((await c.call('w1', 'POST', '/connectors', { name, config })).status, 201);
  }
  await until('both sources running on w1', async () => {
    for (const name of ['s1', 's2']) {
      const s = (await c.call('w1', 'GET', `/connectors/${name}/status`)).json as Status;
      if (s.tasks[0]?.state !== 'RUNNING') return false;
    }
    return true;
  });
  await c.brokers.rocketmq!.broker('broker-a').stop();
  let joined = false;
  const w2 = c.start('w2').then((w) => {
    joined = true;
    return w;
  });
  // Long enough to bind, lead alone and start every task if it were reading broker-b.
  await new Promise((r) => setTimeout(r, 10_000));
  assert.equal(joined, false, 'w2 started while the state broker was away');
  await c.brokers.rocketmq!.startBroker('broker-a');
  const w = await w2;
  assert.match(w.log.join(''), /waiting for a state topic/);
  await until('one cluster of two', async () => {
    const [a, b] = await Promise.all([workerIds('w1'), workerIds('w2')]);
    return a.join() === 'w1,w2' && b.join() === 'w1,w2';
  });
  for (const name of ['s1', 's2']) {
    const seen = new Set<string>();
    for (const id of ['w1', 'w2']) {
      const s = (await c.call(id, 'GET', `/connectors/${name}/status`)).json as Status;
      for (const t of s.tasks) seen.add(`${t.id}@${t.worker_id}`);
    }
    assert.equal(seen.size, 1, `${name} has one owner as both workers see it: ${[...seen]}`);
  }
});

test('state topics readable on both masters (made by hand or an older version): a worker that read the wrong one stops once the route changes', async () => {
  const c = cluster();
  const names = {
    clusterTopic: 'spread-cluster',
    configTopic: 'spread-config',
    offsetTopic: 'spread-offset',
    positionTopic: 'spread-position',
  };
  const admin = new Admin({ namesrvAddr: c.namesrvAddr });
  try {
    for (const topic of Object.values(names))
      await admin.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
  } finally {
    admin.close();
  }
  await c.brokers.rocketmq!.broker('broker-a').stop();
  // Started alone on broker-b's copies: nothing can tell it that they are not the cluster's.
  const { startWorkerProcess } = await import('./worker-process.ts');
  const w = await startWorkerProcess({
    dir: c.dir,
    namesrvAddr: c.namesrvAddr,
    workerId: 'spread',
    settings: names,
  });
  try {
    await c.brokers.rocketmq!.startBroker('broker-a');
    // The route is read again within its refresh period (30 s).
    const code = await Promise.race([
      w.exited,
      new Promise<string>((r) => setTimeout(() => r('still running'), 60_000)),
    ]);
    assert.notEqual(code, 'still running');
    assert.match(w.log.join(''), /another log than the cluster's/);
  } finally {
    w.process.kill('SIGKILL');
    await w.exited;
  }
});
