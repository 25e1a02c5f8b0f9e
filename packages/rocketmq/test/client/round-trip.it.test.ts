import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { useBrokers } from '@sluice/testkit';
import {
  Admin,
  type Message,
  type MessageExt,
  Producer,
  PullConsumer,
  RocketMQError,
} from '../../src/index.ts';

const brokers = useBrokers({ kafka: false });
let admin: Admin;
let producer: Producer;
let consumer: PullConsumer;

before(async () => {
  const { namesrvAddr } = (await brokers.ready()).rocketmq!;
  admin = new Admin({ namesrvAddr });
  producer = new Producer({ namesrvAddr, group: 'round-trip-producer' });
  consumer = new PullConsumer({ namesrvAddr, group: 'round-trip-consumer' });
});
after(async () => {
  await consumer?.close();
  producer?.close();
  admin?.close();
});

/** Reads every queue of a topic from offset 0 until `expected` messages came back (or 20 s passed). */
async function drain(topic: string, expected: number): Promise<MessageExt[]> {
  const out: MessageExt[] = [];
  const queues = await consumer.queues(topic);
  const offsets = queues.map(() => 0n);
  const deadline = Date.now() + 20_000;
  while (out.length < expected && Date.now() < deadline) {
    let found = false;
    for (const [i, q] of queues.entries()) {
      const r = await consumer.pull(q, offsets[i]!, { maxMessages: 32 });
      out.push(...r.messages);
      offsets[i] = r.nextBeginOffset;
      found ||= r.status === 'FOUND';
    }
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(out.length, expected, `messages read back from ${topic}`);
  return out;
}

function sample(i: number): Message {
  const kind = i % 5;
  return {
    topic: 'round-trip',
    body:
      kind === 0
        ? Buffer.alloc(0)
        : kind === 1
          ? `message ${i} ünïcødé 订单 ✓ 🚀`
          : kind === 2
            ? randomBytes(1 + (i % 300))
            : `plain-${i}`,
    tags: kind === 3 ? undefined : `Tag${i % 3}`,
    keys: kind === 4 ? undefined : [`key-${i}`, `k${i % 7}`],
    properties: { seq: String(i), ...(kind === 1 ? { 名前: `値-${i}` } : {}) },
  };
}

test('10,000 messages round-trip: keys, tags, user properties, unicode, empty and binary bodies', async () => {
  await admin.createTopic('round-trip', { readQueueNums: 4, writeQueueNums: 4 });
  const sent = Array.from({ length: 10_000 }, (_, i) => sample(i));
  // Half as single sends (64 in flight), half as batches of 50.
  for (let i = 0; i < 5000; i += 64) {
    await Promise.all(sent.slice(i, Math.min(i + 64, 5000)).map((m) => producer.send(m)));
  }
  for (let i = 5000; i < 10_000; i += 50) await producer.sendBatch(sent.slice(i, i + 50));

  const got = await drain('round-trip', 10_000);
  const bySeq = new Map(got.map((m) => [Number(m.userProperties.seq), m]));
  assert.equal(bySeq.size, 10_000, 'every message exactly once');
  for (const [i, m] of sent.entries()) {
    const r = bySeq.get(i)!;
    const body = typeof m.body === 'string' ? Buffer.from(m.body) : Buffer.from(m.body);
    assert.ok(r.body.equals(body), `body of ${i}`);
    assert.equal(r.tags, m.tags, `tags of ${i}`);
    assert.deepEqual(r.keys, m.keys ?? [], `keys of ${i}`);
    assert.deepEqual(r.userProperties, m.properties, `properties of ${i}`);
    assert.equal(r.topic, 'round-trip');
  }
});

test('a 4 MiB body (incompressible) and a 6 MiB compressible one round-trip; the limit is on what is sent', async () => {
  await admin.createTopic('big', { readQueueNums: 1, writeQueueNums: 1 });
  const random = randomBytes(4 * 1024 * 1024);
  // A snapshot of many connectors' state is JSON like this: over the limit raw, far under it sent.
  const text = Buffer.alloc(6 * 1024 * 1024, 'compressible ');
  await producer.send({ topic: 'big', body: random, properties: { which: 'random' } });
  await producer.send({ topic: 'big', body: text, properties: { which: 'text' } });
  const got = await drain('big', 2);
  assert.ok(got.find((m) => m.userProperties.which === 'random')!.body.equals(random));
  const compressed = got.find((m) => m.userProperties.which === 'text')!;
  assert.ok(compressed.body.equals(text));
  assert.equal(compressed.sysFlag & 1, 1, 'the compressible body travelled compressed');
  await assert.rejects(producer.send({ topic: 'big', body: randomBytes(4 * 1024 * 1024 + 1) }), {
    code: 'INVALID_ARGUMENT',
    message: /message body of 4194305 bytes is over the 4194304-byte limit/,
  });
});

test('a batch lands in one queue, in order, at consecutive offsets', async () => {
  await admin.createTopic('batches', { readQueueNums: 2, writeQueueNums: 2 });
  const msgs = Array.from({ length: 100 }, (_, i) => ({ topic: 'batches', body: `b${i}`, tags: 'B' }));
  const result = await producer.sendBatch(msgs);
  assert.equal(result.msgId.split(',').length, 100);
  const q = { topic: 'batches', brokerName: result.brokerName, queueId: result.queueId };
  // A broker answers at most 32 messages per pull; long polling covers the moment between the
  // send's answer and the broker's (asynchronous) consume-queue dispatch.
  const read: MessageExt[] = [];
  while (read.length < 100) {
    const r = await consumer.pull(q, result.queueOffset + BigInt(read.length), {
      maxMessages: 32,
      suspendMs: 5000,
    });
    assert.notEqual(r.status, 'OFFSET_ILLEGAL');
    read.push(...r.messages);
  }
  assert.deepEqual(
    read.map((m) => m.body.toString()),
    msgs.map((m) => m.body),
  );
  assert.deepEqual(
    read.map((m) => m.queueOffset),
    msgs.map((_, i) => result.queueOffset + BigInt(i)),
  );
  await assert.rejects(
    producer.sendBatch([
      { topic: 'batches', body: 'x' },
      { topic: 'other', body: 'y' },
    ]),
    {
      code: 'INVALID_ARGUMENT',
    },
  );
});

test('a sharding key keeps every message of a key in one queue, in order', async () => {
  await admin.createTopic('keyed', { readQueueNums: 4, writeQueueNums: 4 });
  const results = [];
  for (let i = 0; i < 200; i++) {
    results.push({
      key: `user-${i % 10}`,
      r: await producer.send({ topic: 'keyed', body: String(i) }, { shardingKey: `user-${i % 10}` }),
    });
  }
  const queueOfKey = new Map<string, number>();
  for (const { key, r } of results) {
    assert.equal(queueOfKey.get(key) ?? r.queueId, r.queueId, `key ${key} stays in one queue`);
    queueOfKey.set(key, r.queueId);
  }
  assert.ok(new Set(queueOfKey.values()).size > 1, 'keys spread over queues');
  const got = await drain('keyed', 200);
  for (const key of queueOfKey.keys()) {
    const seqs = got
      .filter((m) => Number(m.body.toString()) % 10 === Number(key.slice(5)))
      .map((m) => Number(m.body.toString()));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      `order of ${key}`,
    );
  }
});

test('explicit queue, tag filtering, offsets: min, max, by timestamp, committed', async () => {
  await admin.createTopic('offsets', { readQueueNums: 2, writeQueueNums: 2 });
  const q = { topic: 'offsets', brokerName: 'broker-a', queueId: 1 };
  const before = Date.now();
  for (let i = 0; i < 10; i++) {
    const r = await producer.send(
      { topic: 'offsets', body: `o${i}`, tags: i % 2 ? 'odd' : 'even' },
      { queue: q },
    );
    assert.equal(r.queueId, 1);
    assert.equal(r.queueOffset, BigInt(i));
  }
  assert.equal(await consumer.minOffset(q), 0n);
  // The consume queue is written asynchronously after the send is answered.
  for (let i = 0; i < 50 && (await consumer.maxOffset(q)) < 10n; i++)
    await new Promise((r) => setTimeout(r, 100));
  assert.equal(await consumer.maxOffset(q), 10n);
  assert.equal(await consumer.offsetForTimestamp(q, before - 60_000), 0n);
  const odd = await consumer.pull(q, 0n, { tags: 'odd' });
  assert.deepEqual(
    odd.messages.map((m) => m.body.toString()),
    ['o1', 'o3', 'o5', 'o7', 'o9'],
  );
  assert.equal(await consumer.committedOffset(q), undefined);
  await consumer.commitOffset(q, 7n);
  assert.equal(await consumer.committedOffset(q), 7n);
  const past = await consumer.pull(q, 1000n);
  assert.equal(past.status, 'OFFSET_ILLEGAL');
  assert.equal(past.nextBeginOffset, 10n);
});

test('long polling: a pull waiting on an empty queue returns as soon as a message arrives', async () => {
  await admin.createTopic('long-poll', { readQueueNums: 1, writeQueueNums: 1 });
  const q = { topic: 'long-poll', brokerName: 'broker-a', queueId: 0 };
  const empty = await consumer.pull(q, 0n, { suspendMs: 500 });
  assert.equal(empty.status, 'NO_NEW_MSG');
  const waiting = consumer.pull(q, 0n, { suspendMs: 20_000 });
  await new Promise((r) => setTimeout(r, 300));
  await producer.send({ topic: 'long-poll', body: 'wake up' });
  const r = await waiting;
  assert.equal(r.status, 'FOUND');
  assert.equal(r.messages[0]?.body.toString(), 'wake up');
});

test('an aborted long poll rejects with ABORTED, consumes nothing, and the next pull reads on', async () => {
  await admin.createTopic('abort-poll', { readQueueNums: 1, writeQueueNums: 1 });
  const q = { topic: 'abort-poll', brokerName: 'broker-a', queueId: 0 };
  const stop = new AbortController();
  const waiting = consumer.pull(q, 0n, { suspendMs: 20_000, signal: stop.signal });
  setTimeout(() => stop.abort(), 200);
  await assert.rejects(waiting, { code: 'ABORTED' });
  await assert.rejects(consumer.pull(q, 0n, { signal: stop.signal }), { code: 'ABORTED' });
  await producer.send({ topic: 'abort-poll', body: 'still here' });
  const r = await consumer.pull(q, 0n, { suspendMs: 2000 });
  assert.deepEqual(
    r.messages.map((m) => m.body.toString()),
    ['still here'],
  );
});

test('a delayed message (level 1 = 1 s) arrives after its delay, not before', async () => {
  await admin.createTopic('delayed', { readQueueNums: 1, writeQueueNums: 1 });
  const q = { topic: 'delayed', brokerName: 'broker-a', queueId: 0 };
  const sentAt = Date.now();
  await producer.send({ topic: 'delayed', body: 'later', delayLevel: 1 });
  const early = await consumer.pull(q, 0n);
  assert.equal(early.messages.length, 0, 'not visible at once');
  let got: MessageExt | undefined;
  while (!got && Date.now() - sentAt < 15_000) {
    got = (await consumer.pull(q, 0n, { suspendMs: 2000 })).messages[0];
  }
  assert.equal(got?.body.toString(), 'later');
  assert.ok(got.storeTimestamp - sentAt >= 900, 'stored in the topic about a second later');
  await assert.rejects(producer.send({ topic: 'delayed', body: 'x', delayLevel: -1 }), {
    code: 'INVALID_ARGUMENT',
  });
});

test('a dead name server in the list is skipped', async () => {
  const { namesrvAddr } = brokers().rocketmq!;
  const withDead = new Admin({ namesrvAddr: `127.0.0.1:1;${namesrvAddr}` });
  try {
    for (let i = 0; i < 3; i++) assert.ok((await withDead.topicList()).includes('round-trip'));
  } finally {
    withDead.close();
  }
});

test('admin: topics and groups are created, listed and deleted', async () => {
  await admin.createTopic('to-delete', { readQueueNums: 3, writeQueueNums: 2 });
  const route = await admin.routeInfo('to-delete');
  assert.deepEqual(
    route?.queueDatas.map((q) => [q.readQueueNums, q.writeQueueNums, q.perm]),
    [[3, 2, 6]],
  );
  assert.ok((await admin.topicList()).includes('to-delete'));
  await admin.deleteTopic('to-delete');
  assert.equal(await admin.routeInfo('to-delete'), undefined);
  await admin.createSubscriptionGroup({ groupName: 'admin-group', retryMaxTimes: 3 });
  await admin.deleteSubscriptionGroup('admin-group');
  const brokersSeen = await admin.brokers();
  assert.deepEqual(
    brokersSeen.map((b) => [b.brokerName, b.brokerId, b.addr]),
    [['broker-a', 0, brokers().rocketmq!.brokers[0]!.addr]],
  );
});

test('bad input gets clear errors', async () => {
  await assert.rejects(producer.send({ topic: 'bad topic!', body: 'x' }), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(producer.send({ topic: 'no-such-topic', body: 'x' }), (err: unknown) => {
    assert.ok(err instanceof RocketMQError);
    assert.equal(err.code, 'NO_ROUTE');
    assert.match(err.message, /no-such-topic/);
    return true;
  });
  await assert.rejects(producer.send({ topic: 'round-trip', body: 'x', properties: { KEYS: 'x' } }), {
    code: 'INVALID_ARGUMENT',
  });
  await assert.rejects(admin.createTopic('zero', { readQueueNums: 0 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => new Producer({ namesrvAddr: 'not an address' }), { code: 'INVALID_ARGUMENT' });
});
