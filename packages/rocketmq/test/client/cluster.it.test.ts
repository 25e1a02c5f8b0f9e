import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { useBrokers } from '@sluice/testkit';
import { Admin, isRetriable, type MessageQueue, Producer, PullConsumer } from '../../src/index.ts';

// Two master brokers in one cluster.
const brokers = useBrokers({ kafka: false, rocketmq: { brokers: 2 } });
let namesrvAddr: string;
let admin: Admin;

before(async () => {
  namesrvAddr = (await brokers.ready()).rocketmq!.namesrvAddr;
  admin = new Admin({ namesrvAddr });
});
after(() => admin?.close());

test('a topic on two brokers: sends spread over both, pulls read both', async () => {
  await admin.createTopic('spread', { readQueueNums: 2, writeQueueNums: 2 });
  const producer = new Producer({ namesrvAddr });
  const consumer = new PullConsumer({ namesrvAddr, group: 'spread-group' });
  try {
    const queues = await producer.queues('spread');
    assert.deepEqual(
      queues.map((q) => `${q.brokerName}#${q.queueId}`),
      ['broker-a#0', 'broker-a#1', 'broker-b#0', 'broker-b#1'],
    );
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await producer.send({ topic: 'spread', body: `m${i}` }));
    const perBroker = new Map<string, number>();
    for (const r of results) perBroker.set(r.brokerName, (perBroker.get(r.brokerName) ?? 0) + 1);
    // Round-robin gives 20 each; a send a busy broker refuses is retried on the other one.
    assert.ok((perBroker.get('broker-a') ?? 0) >= 10, `broker-a got ${perBroker.get('broker-a')}`);
    assert.ok((perBroker.get('broker-b') ?? 0) >= 10, `broker-b got ${perBroker.get('broker-b')}`);
    const read = new Set<string>();
    const deadline = Date.now() + 10_000;
    while (read.size < 40 && Date.now() < deadline) {
      for (const q of await consumer.queues('spread')) {
        for (const m of (await consumer.pull(q, 0n)).messages) read.add(m.body.toString());
      }
    }
    assert.equal(read.size, 40);
  } finally {
    producer.close();
    await consumer.close();
  }
});

test('the consumer-id list changes, and the notify event fires, when a consumer joins and leaves', async () => {
  await admin.createTopic('membership', { readQueueNums: 1, writeQueueNums: 1 });
  const a = new PullConsumer({ namesrvAddr, group: 'members', clientId: '127.0.0.1@worker-a' });
  const b = new PullConsumer({ namesrvAddr, group: 'members', clientId: '127.0.0.1@worker-b' });
  try {
    await a.subscribe('membership');
    assert.deepEqual(await a.consumerIds(), ['127.0.0.1@worker-a']);
    const joined = once(a, 'consumerIdsChanged');
    await b.subscribe('membership');
    assert.deepEqual(await joined, ['members']);
    assert.deepEqual((await a.consumerIds()).sort(), ['127.0.0.1@worker-a', '127.0.0.1@worker-b']);
    const left = once(a, 'consumerIdsChanged');
    await b.close();
    await left;
    assert.deepEqual(await a.consumerIds(), ['127.0.0.1@worker-a']);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a broker killed and restarted mid-stream: no acknowledged message is lost', async () => {
  const rocketmq = brokers().rocketmq!;
  await admin.createTopic('restart', { readQueueNums: 2, writeQueueNums: 2 });
  const producer = new Producer({ namesrvAddr, sendTimeoutMs: 5000 });
  const consumer = new PullConsumer({ namesrvAddr, group: 'restart-group' });
  const acked = new Set<number>();
  const received = new Set<number>();
  let producing = true;
  let restarted = false;
  let sendErrors = 0;
  let pullErrors = 0;

  const produce = async () => {
    for (let i = 0; i < 3000; i++) {
      // What a careful application does: a send counts only once acknowledged; retry otherwise.
      for (;;) {
        try {
          await producer.send({ topic: 'restart', body: String(i) });
          acked.add(i);
          break;
        } catch (err) {
          sendErrors++;
          if (!isRetriable(err)) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    producing = false;
  };
  const consume = async (queues: MessageQueue[]) => {
    const offsets = new Map(queues.map((q) => [`${q.brokerName}#${q.queueId}`, 0n]));
    // Until everything acknowledged was read back, or 60 s after the broker came back.
    let deadline = Number.POSITIVE_INFINITY;
    while (producing || !restarted || (received.size < acked.size && Date.now() < deadline)) {
      if (!producing && restarted && deadline === Number.POSITIVE_INFINITY) deadline = Date.now() + 60_000;
      let got = 0;
      for (const q of queues) {
        const key = `${q.brokerName}#${q.queueId}`;
        try {
          const r = await consumer.pull(q, offsets.get(key)!, { timeoutMs: 3000 });
          for (const m of r.messages) received.add(Number(m.body.toString()));
          got += r.messages.length;
          offsets.set(key, r.nextBeginOffset);
        } catch {
          pullErrors++;
        }
      }
      if (got === 0) await new Promise((r) => setTimeout(r, 50));
    }
  };

  try {
    const queues = await consumer.queues('restart');
    const producing$ = produce();
    const consuming$ = consume(queues);
    while (acked.size < 500) await new Promise((r) => setTimeout(r, 20));
    await rocketmq.broker('broker-b').kill();
    while (acked.size < 1500) await new Promise((r) => setTimeout(r, 20));
    await rocketmq.startBroker('broker-b');
    restarted = true;
    await producing$;
    await consuming$;
    assert.equal(acked.size, 3000);
    const lost = [...acked].filter((i) => !received.has(i));
    assert.deepEqual(
      lost,
      [],
      `acknowledged but never consumed (send errors ${sendErrors}, pull errors ${pullErrors})`,
    );
    assert.ok(pullErrors > 0, 'the consumer did see the broker go away');
  } finally {
    producer.close();
    await consumer.close();
  }
});

test('a send fenced off while its bytes still wait in this process is not stored', async () => {
  // A worker frozen (SIGSTOP, a long GC pause) with a request half-handed to its socket: the
  // bytes the kernel had not taken yet go out when it wakes, after its lease ended and its task
  // moved. A paused broker makes bytes wait the same way: the kernel buffers fill and the rest
  // stays in the process while the fence closes.
  const broker = brokers().rocketmq!.broker('broker-a');
  await admin.createTopic('fenced', { readQueueNums: 1, writeQueueNums: 1 });
  const producer = new Producer({ namesrvAddr, sendTimeoutMs: 20_000, requestTimeoutMs: 15_000 });
  const consumer = new PullConsumer({ namesrvAddr, group: 'fenced-group' });
  const queue: MessageQueue = { topic: 'fenced', brokerName: 'broker-a', queueId: 0 };
  let allowed = true;
  const mayWrite = () => allowed;
  try {
    await producer.send({ topic: 'fenced', body: 'warm-up' }, { queue });
    const before = await consumer.maxOffset(queue);
    broker.process!.pause();
    let sends: PromiseSettledResult<unknown>[];
    try {
      // 4 × 3 MiB of incompressible bodies: more than loopback's buffers hold.
      const pending = [0, 1, 2, 3].map((i) =>
        producer.send(
          { topic: 'fenced', body: randomBytes(3 * 1024 * 1024), keys: `big-${i}` },
          { queue, mayWrite },
        ),
      );
      await new Promise((r) => setTimeout(r, 500));
      allowed = false;
      broker.process!.resume();
      sends = await Promise.allSettled(pending);
    } finally {
      broker.process!.resume();
    }
    const ok = sends.filter((s) => s.status === 'fulfilled').length;
    const fenced = sends.filter(
      (s) => s.status === 'rejected' && (s.reason as { code?: string }).code === 'ABORTED',
    ).length;
    assert.equal(
      ok + fenced,
      4,
      `every send either stored or fenced: ${JSON.stringify(sends.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok')))}`,
    );
    assert.ok(fenced >= 1, 'the sends that had not left the process by the fence are refused');
    const after = await consumer.maxOffset(queue);
    assert.equal(after - before, BigInt(ok), 'stored: exactly the sends that succeeded');
    // The connection cut to drop a half-sent request is replaced: sends go on.
    await producer.send({ topic: 'fenced', body: 'after' }, { queue });
    assert.equal(await consumer.maxOffset(queue), after + 1n);
  } finally {
    producer.close();
    await consumer.close();
  }
});
