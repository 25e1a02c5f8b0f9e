import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Admin, Producer } from '@sluice/rocketmq';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import { createTopics } from '../e2e/kafka-rocketmq.ts';

// Routes change under running tasks: queues are added to a topic a sink reads, and a source
// sends to them too — read again every routeRefreshMs (2 s here).

const cluster = useCluster({ settings: { routeRefreshMs: '2000' } });

before(async () => {
  const c = await cluster.ready();
  await createTopics(c.namesrvAddr, { rocketmq: ['grow'], queues: 2 });
  await c.start('w1');
});

test('queues added to a topic mid-run are read by its sink', async () => {
  const c = cluster();
  const out = join(c.dir, 'grow.txt');
  const r = await c.call('w1', 'POST', '/connectors', {
    name: 'grow-sink',
    config: { 'connector.class': 'FileStreamSink', file: out, topics: 'grow' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const producer = new Producer({ namesrvAddr: c.namesrvAddr, group: 'grow-writer' });
  const lines = async () => (await readFile(out, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  try {
    for (let i = 0; i < 10; i++) await producer.send({ topic: 'grow', body: Buffer.from(`before-${i}`) });
    await until('the first lines', async () => (await lines()).length === 10, 30_000);
    const admin = new Admin({ namesrvAddr: c.namesrvAddr });
    await admin.createTopic('grow', { readQueueNums: 4, writeQueueNums: 4 });
    admin.close();
    // Straight to the new queues, once the route lists them.
    let queues = await producer.queues('grow');
    await until(
      'the route lists 4 queues',
      async () => {
        // A new client each time: one that read the route already keeps it for a while.
        const probe = new Producer({ namesrvAddr: c.namesrvAddr, group: 'grow-probe' });
        queues = await probe.queues('grow').finally(() => probe.close());
        return queues.length === 4;
      },
      60_000,
    );
    for (const q of queues.filter((x) => x.queueId >= 2))
      for (let i = 0; i < 5; i++)
        await producer.send({ topic: 'grow', body: Buffer.from(`new-${q.queueId}-${i}`) }, { queue: q });
    await until(
      'the lines of the new queues',
      async () => (await lines()).filter((l) => l.startsWith('new-')).length === 10,
      60_000,
    );
    const status = (await c.call('w1', 'GET', '/connectors/grow-sink/status')).json as {
      tasks: { state: string }[];
    };
    assert.deepEqual(
      status.tasks.map((t) => t.state),
      ['RUNNING'],
    );
  } finally {
    producer.close();
  }
});
