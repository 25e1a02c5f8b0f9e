import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Admin, Producer, PullConsumer } from '@sluice/rocketmq';
import { until, useCluster } from './cluster-helper.ts';

// The same client and runtime against RocketMQ 4.9.7 (2023), for users still on 4.x: the
// client's round trip, then two workers with the seed's file connectors and a SIGKILL.

const cluster = useCluster({ rocketmqVersion: '4.9' });

before(async () => {
  const c = await cluster.ready();
  const admin = new Admin({ namesrvAddr: c.namesrvAddr });
  await admin.createTopic('old-rt', { readQueueNums: 2, writeQueueNums: 2 });
  await admin.createTopic('old-dist', { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
});

test('RocketMQ 4.9: single, batch and compressed sends; pulls, long polls, offsets, consumer ids', async () => {
  const { namesrvAddr } = cluster();
  const producer = new Producer({ namesrvAddr, group: 'old-p' });
  const consumer = new PullConsumer({ namesrvAddr, group: 'old-c' });
  try {
    const q = { topic: 'old-rt', brokerName: 'broker-a', queueId: 0 };
    const big = Buffer.from('compressible '.repeat(100_000));
    await producer.send(
      { topic: 'old-rt', body: 'one', keys: 'k1', tags: 't', properties: { p: 'ü' } },
      { queue: q },
    );
    await producer.sendBatch(
      Array.from({ length: 5 }, (_, i) => ({ topic: 'old-rt', body: `b${i}` })),
      { queue: q },
    );
    await producer.send({ topic: 'old-rt', body: big }, { queue: q });
    for (let i = 0; i < 50 && (await consumer.maxOffset(q)) < 7n; i++)
      await new Promise((r) => setTimeout(r, 100));
    const r = await consumer.pull(q, 0n, { maxMessages: 32 });
    assert.deepEqual(
      r.messages.map((m) => (m.body.length > 100 ? 'big' : m.body.toString())),
      ['one', 'b0', 'b1', 'b2', 'b3', 'b4', 'big'],
    );
    assert.ok(r.messages[6]!.body.equals(big), 'the compressed body comes back whole');
    assert.deepEqual(r.messages[0]!.keys, ['k1']);
    assert.equal(r.messages[0]!.tags, 't');
    assert.equal(r.messages[0]!.userProperties.p, 'ü');
    assert.equal(await consumer.minOffset(q), 0n);
    await consumer.commitOffset(q, 3n);
    assert.equal(await consumer.committedOffset(q), 3n);
    // A long poll answers as soon as a message arrives.
    const waiting = consumer.pull(q, 7n, { suspendMs: 5000 });
    await new Promise((res) => setTimeout(res, 300));
    await producer.send({ topic: 'old-rt', body: 'late' }, { queue: q });
    assert.equal((await waiting).messages[0]?.body.toString(), 'late');
    await consumer.subscribe('old-rt');
    await until(
      'the consumer is listed',
      async () => (await consumer.consumerIds('old-c', 'old-rt')).length === 1,
    );
  } finally {
    producer.close();
    await consumer.close();
  }
});

test('RocketMQ 4.9: two workers, a file source and sink, one worker killed: every line arrives', async () => {
  const c = cluster();
  await Promise.all(['o1', 'o2'].map((w) => c.start(w)));
  const input = join(c.dir, 'old-in.txt');
  const output = join(c.dir, 'old-out.txt');
  await writeFile(input, '');
  for (const [name, config] of [
    ['old-src', { 'connector.class': 'FileStreamSource', file: input, topic: 'old-dist' }],
    ['old-snk', { 'connector.class': 'FileStreamSink', file: output, topics: 'old-dist' }],
  ] as const)
    assert.equal((await c.call('o1', 'POST', '/connectors', { name, config })).status, 201);
  const lines = async () =>
    new Set((await readFile(output, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  await appendFile(input, Array.from({ length: 2000 }, (_, i) => `l${i}\n`).join(''));
  await until('the first lines', async () => (await lines()).size > 0, 60_000);
  c.signal('o2', 'SIGKILL');
  await appendFile(input, Array.from({ length: 2000 }, (_, i) => `l${2000 + i}\n`).join(''));
  await until('all 4,000 lines', async () => (await lines()).size === 4000, 90_000);
});
