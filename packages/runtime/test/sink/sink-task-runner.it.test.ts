import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SinkRecord, SinkTask, SinkTaskContext } from '@sluice/connect-api';
import { Admin, type MessageQueue, Producer, PullConsumer, queueKey } from '@sluice/rocketmq';
import { useBrokers } from '@sluice/testkit';
import { silentLogger } from '../../src/logging/logger.ts';
import { SinkTaskRunner } from '../../src/sink/sink-task-runner.ts';
import { MemoryStore } from '../../src/stores/memory-store.ts';
import { OffsetStore } from '../../src/stores/offset-store.ts';

// The sink task runner on a real broker: one pull loop per queue feeding a bounded buffer, one
// delivery loop, offsets stored only for what `put` accepted.

const brokers = useBrokers({ kafka: false });
let namesrvAddr: string;
let producer: Producer;
let admin: Admin;
const consumers: PullConsumer[] = [];

before(async () => {
  namesrvAddr = (await brokers.ready()).rocketmq!.namesrvAddr;
  producer = new Producer({ namesrvAddr, group: 'sink-runner-test' });
  admin = new Admin({ namesrvAddr });
});
after(async () => {
  producer.close();
  admin.close();
  for (const c of consumers) await c.close();
});

/** A sink task that keeps what it is given; `put` may be slowed down or made to fail. */
class Collecting implements SinkTask {
  readonly got: SinkRecord[] = [];
  largestPut = 0;
  putDelayMs = 0;
  failWith: Error | undefined;
  ctx: SinkTaskContext | undefined;
  start(_config: unknown, ctx: SinkTaskContext): void {
    this.ctx = ctx;
  }
  async put(records: SinkRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    if (this.putDelayMs) await new Promise((r) => setTimeout(r, this.putDelayMs));
    this.largestPut = Math.max(this.largestPut, records.length);
    this.got.push(...records);
  }
  stop(): void {}
}

async function setup<T extends SinkTask = Collecting>(
  topic: string,
  queues = 4,
  limits = {},
  task: T = new Collecting() as unknown as T,
) {
  await admin.createTopic(topic, { readQueueNums: queues, writeQueueNums: queues });
  const consumer = new PullConsumer({ namesrvAddr, group: `g-${topic}` });
  consumers.push(consumer);
  const qs: MessageQueue[] = await consumer.queues(topic);
  const offsets = new OffsetStore(new MemoryStore<string>());
  const runner = new SinkTaskRunner({
    producer,
    connector: topic,
    taskId: 0,
    task,
    config: {},
    consumer,
    group: `g-${topic}`,
    queues: qs,
    offsets,
    logger: silentLogger,
    limits: { commitIntervalMs: 100, ...limits },
  });
  return { runner, task, offsets, qs, group: `g-${topic}` };
}

async function send(topic: string, q: MessageQueue, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 64)
    await producer.sendBatch(
      bodies.slice(i, i + 64).map((b) => ({ topic, body: b })),
      { queue: q },
    );
}

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('every record once, each queue in order, puts bounded, offsets after delivery', async () => {
  const { runner, task, offsets, qs, group } = await setup('sink-order', 4, {
    maxPutRecords: 50,
    maxBufferedRecords: 120,
  });
  task.putDelayMs = 5;
  await runner.start();
  for (const [i, q] of qs.entries())
    await send(
      'sink-order',
      q,
      Array.from({ length: 500 }, (_, j) => `${i}:${j}`),
    );
  await until('2,000 records', () => task.got.length >= 2000);
  assert.equal(task.got.length, 2000);
  assert.ok(task.largestPut <= 50, `a put got ${task.largestPut} records`);
  for (const [i, q] of qs.entries()) {
    const mine = task.got.filter((r) => queueKey(r.queue) === queueKey(q));
    assert.deepEqual(
      mine.map((r) => Buffer.from(r.value).toString()),
      Array.from({ length: 500 }, (_, j) => `${i}:${j}`),
    );
  }
  await runner.stop();
  for (const q of qs) assert.equal(offsets.get(group, q), 500n);
});

test('one queue read with pulls in flight ahead: every message once, in order, while it grows', async () => {
  const topic = 'sink-ahead';
  const { runner, task, offsets, qs } = await setup(topic, 1, { pullsAhead: 3 });
  const q = qs[0]!;
  await send(
    topic,
    q,
    Array.from({ length: 3000 }, (_, i) => `m${i}`),
  );
  await runner.start();
  // More arrives while the stored ones are read: pulls sent ahead past the end are asked again.
  for (let i = 3000; i < 5000; i += 200)
    await send(
      topic,
      q,
      Array.from({ length: 200 }, (_, j) => `m${i + j}`),
    );
  await until('5,000 messages', () => task.got.length >= 5000);
  await until('the offset stored', () => offsets.get(`g-${topic}`, q) === 5000n);
  await runner.stop();
  assert.deepEqual(
    task.got.map((r) => Buffer.from(r.value).toString()),
    Array.from({ length: 5000 }, (_, i) => `m${i}`),
  );
});

test('a message on an idle queue is delivered while the others wait in long polls', async () => {
  const { runner, task, qs } = await setup('sink-idle', 4);
  await runner.start();
  // Give every pull loop time to park in a long poll, then write to one queue at a time.
  await new Promise((r) => setTimeout(r, 300));
  for (const [i, q] of qs.entries()) {
    await send('sink-idle', q, [`only ${i}`]);
    await until(`the record on queue ${i}`, () => task.got.length === i + 1, 4000);
  }
  await runner.stop();
});

test('pausing queues holds their records; resuming delivers them', async () => {
  const { runner, task, qs } = await setup('sink-pause', 2);
  await runner.start();
  task.ctx!.pause([qs[0]!]);
  await send('sink-pause', qs[0]!, ['held']);
  await send('sink-pause', qs[1]!, ['flows']);
  await until('the unpaused queue', () => task.got.length === 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(
    task.got.map((r) => Buffer.from(r.value).toString()),
    ['flows'],
  );
  task.ctx!.resume([qs[0]!]);
  await until('the resumed queue', () => task.got.length === 2);
  await runner.stop();
});

test('a put that fails for good fails the task and stores nothing past it', async () => {
  const { runner, task, offsets, qs, group } = await setup('sink-fail', 1);
  await runner.start();
  await send('sink-fail', qs[0]!, ['a', 'b']);
  await until('the first records', () => task.got.length === 2);
  await until('their offsets', () => offsets.get(group, qs[0]!) === 2n);
  task.failWith = new Error('the sink broke');
  await send('sink-fail', qs[0]!, ['c']);
  await until('FAILED', () => runner.status.state === 'FAILED');
  await runner.stop();
  assert.equal(offsets.get(group, qs[0]!), 2n, 'c was not delivered, so its offset was not stored');
});

test('stop ends the long polls and stores the final offsets', async () => {
  const { runner, task, offsets, qs, group } = await setup('sink-stop', 2);
  await runner.start();
  await send('sink-stop', qs[1]!, ['x']);
  await until('x', () => task.got.length === 1);
  await new Promise((r) => setTimeout(r, 300));
  await runner.stop();
  assert.equal(runner.status.state, 'STOPPED');
  assert.equal(offsets.get(group, qs[1]!), 1n);
});

// Last in this file: it wipes the broker's store.
test('a broker that lost data: the stored offset goes back with its log, so a restart skips nothing', async () => {
  const topic = 'sink-data-loss';
  const { runner, task, offsets, qs, group } = await setup(topic, 1);
  await runner.start();
  await send(topic, qs[0]!, ['a', 'b', 'c', 'd', 'e']);
  await until('five delivered', () => task.got.length === 5);
  await until('offset 5 stored', () => offsets.get(group, qs[0]!) === 5n);
  const broker = brokers().rocketmq!.broker('broker-a');
  await broker.stop();
  await broker.loseMessages();
  await brokers().rocketmq!.startBroker('broker-a');
  await send(topic, qs[0]!, ['after']);
  await until(
    'the message stored after the loss',
    () => task.got.some((r) => r.value.toString() === 'after'),
    60_000,
  );
  await until("the stored offset back at the log's end", () => offsets.get(group, qs[0]!) === 1n, 20_000);
  await runner.stop();
  assert.equal(offsets.get(group, qs[0]!), 1n, 'a restart starts at 1, not at 5');
});

/**
 * Takes overlapping puts and writes each after a random delay, in the order the puts started,
 * and none after one before it failed (what SinkTask.maxConcurrentPuts asks of a task, and what an
 * idempotent Kafka producer does); one put with another behind it fails retriably.
 */
class Overlapping implements SinkTask {
  readonly maxConcurrentPuts = 8;
  readonly written: SinkRecord[] = [];
  running = 0;
  peak = 0;
  puts = 0;
  failed = 0;
  #failedOnce = false;
  /** Whether the put before wrote its records. */
  #tail: Promise<boolean> = Promise.resolve(true);
  start(): void {}
  async put(records: SinkRecord[]): Promise<void> {
    const n = ++this.puts;
    const turn = this.running === 0 ? Promise.resolve(true) : this.#tail;
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    let done!: (ok: boolean) => void;
    this.#tail = new Promise<boolean>((r) => (done = r));
    let ok = false;
    try {
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      if (!(await turn))
        throw Object.assign(new Error('an earlier batch was not written'), { retriable: true });
      // Once, from the fifth put on, when a later put is in flight behind this one.
      if (n >= 5 && this.puts > n && !this.#failedOnce) {
        this.#failedOnce = true;
        throw Object.assign(new Error('the destination is restarting'), { retriable: true });
      }
      this.written.push(...records);
      ok = true;
    } catch (err) {
      this.failed++;
      throw err;
    } finally {
      done(ok);
      this.running--;
    }
  }
  stop(): void {}
}

test('overlapping puts: several in flight, offsets only past what is written, a failure goes again in order', async () => {
  const topic = 'sink-overlap';
  const limits = { commitIntervalMs: 50, maxPutRecords: 40, maxInFlightPuts: 4, retryBackoffMs: 10 };
  const { runner, task, offsets, qs } = await setup(topic, 4, limits, new Overlapping());
  // All there before the start: the pipe fills at once, so puts overlap from the first.
  for (const [i, q] of qs.entries())
    await send(
      topic,
      q,
      Array.from({ length: 400 }, (_, j) => `${i}:${j}`),
    );
  const writtenUpTo = () => {
    const upTo = new Map<string, bigint>();
    for (const r of task.written) {
      const k = queueKey(r.queue);
      if ((upTo.get(k) ?? 0n) <= r.offset) upTo.set(k, r.offset + 1n);
    }
    return upTo;
  };
  const behind: string[] = [];
  const watching = setInterval(() => {
    const upTo = writtenUpTo();
    for (const q of qs) {
      const o = offsets.get(`g-${topic}`, q) ?? 0n;
      if (o > (upTo.get(queueKey(q)) ?? 0n))
        behind.push(`${queueKey(q)} stored ${o}, written ${upTo.get(queueKey(q))}`);
    }
  }, 5);
  await runner.start();
  const unique = () => new Set(task.written.map((r) => `${queueKey(r.queue)}@${r.offset}`)).size;
  await until('1,600 records written', () => unique() >= 1600);
  await runner.stop();
  clearInterval(watching);
  assert.ok(task.peak > 1 && task.peak <= 4, `puts in flight at once: ${task.peak}`);
  for (const [i, q] of qs.entries()) {
    const firsts: string[] = [];
    const seen = new Set<bigint>();
    for (const r of task.written)
      if (queueKey(r.queue) === queueKey(q) && !seen.has(r.offset)) {
        seen.add(r.offset);
        firsts.push(Buffer.from(r.value).toString());
      }
    assert.deepEqual(
      firsts,
      Array.from({ length: 400 }, (_, j) => `${i}:${j}`),
      `queue ${i} in order`,
    );
    assert.equal(offsets.get(`g-${topic}`, q), 400n);
  }
  assert.deepEqual(behind, [], 'an offset was stored before its record was written');
  assert.ok(task.failed >= 2, `the fifth put and one in flight behind it failed (${task.failed} failed)`);
  assert.equal(task.written.length, 1600, 'each record written once: the failed ones went again, in order');
});
