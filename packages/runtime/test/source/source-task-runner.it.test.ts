import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { EndOfInputError, RetriableError, type SourceRecord, type SourceTask } from '@sluice/connect-api';
import { Admin, Producer, PullConsumer } from '@sluice/rocketmq';
import { useBrokers } from '@sluice/testkit';
import { silentLogger } from '../../src/logging/logger.ts';
import { SourceTaskRunner } from '../../src/source/source-task-runner.ts';
import { MemoryStore } from '../../src/stores/memory-store.ts';
import { PositionStore } from '../../src/stores/position-store.ts';

// The source task runner on a real broker: what is in flight stays within its named limits.

const brokers = useBrokers({ kafka: false });
let namesrvAddr: string;

before(async () => {
  namesrvAddr = (await brokers.ready()).rocketmq!.namesrvAddr;
});

async function createTopic(topic: string, queues: number): Promise<void> {
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic(topic, { readQueueNums: queues, writeQueueNums: queues });
  admin.close();
}

/** Polls `total` records of `size` bytes, `perPoll` at a time, as fast as it is asked. */
class Burst implements SourceTask {
  polled = 0;
  readonly total: number;
  readonly size: number;
  readonly perPoll: number;
  constructor(total: number, size: number, perPoll: number) {
    this.total = total;
    this.size = size;
    this.perPoll = perPoll;
  }
  start(): void {}
  async poll(): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (let i = 0; i < this.perPoll && this.polled < this.total; i++, this.polled++)
      out.push({
        sourcePartition: { p: 0 },
        sourcePosition: { n: this.polled + 1 },
        topic: 'source-limits',
        key: `k${this.polled % 8}`,
        value: Buffer.alloc(this.size, this.polled % 256),
      });
    if (out.length === 0) await new Promise((r) => setTimeout(r, 50));
    return out;
  }
  stop(): void {}
}

test('in-flight bytes stay within maxInFlightBytes plus one poll; every record arrives', async () => {
  await createTopic('source-limits', 4);
  const producer = new Producer({ namesrvAddr, group: 'source-limits' });
  const consumer = new PullConsumer({ namesrvAddr, group: 'source-limits-check' });
  const positions = new PositionStore(new MemoryStore());
  const task = new Burst(600, 64 * 1024, 16);
  const runner = new SourceTaskRunner({
    connector: 'limits',
    taskId: 0,
    task,
    config: {},
    producer,
    positions,
    logger: silentLogger,
    limits: { maxInFlightBytes: 2 * 1024 * 1024, commitIntervalMs: 100 },
  });
  try {
    await runner.start();
    const t0 = Date.now();
    while (runner.acknowledged < 600) {
      if (Date.now() - t0 > 60_000) throw new Error(`only ${runner.acknowledged} acknowledged`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await runner.stop();
    const onePoll = 16 * 64 * 1024;
    assert.ok(
      runner.peakInFlightBytes <= 2 * 1024 * 1024 + onePoll,
      `peak ${runner.peakInFlightBytes} bytes in flight`,
    );
    assert.ok(runner.peakInFlightBytes >= 2 * 1024 * 1024, 'the limit was reached: the test tested it');
    assert.deepEqual(positions.get('limits', { p: 0 }), { n: 600 });
    let stored = 0n;
    for (const q of await consumer.queues('source-limits')) stored += await consumer.maxOffset(q);
    assert.equal(stored, 600n);
  } finally {
    producer.close();
    await consumer.close();
  }
});

/** Polls `total` records once, after `failures` retriable errors; then, with `end`, ends its input. */
class Flaky implements SourceTask {
  failures: number;
  readonly end: boolean;
  readonly #records: SourceRecord[];
  constructor(failures: number, end: boolean, total: number) {
    this.failures = failures;
    this.end = end;
    this.#records = Array.from({ length: total }, (_, i) => ({
      sourcePartition: { p: 'flaky' },
      sourcePosition: { n: i + 1 },
      topic: 'source-flaky',
      value: Buffer.from(`r${i}`),
    }));
  }
  start(): void {}
  async poll(): Promise<SourceRecord[]> {
    if (this.failures > 0) {
      this.failures--;
      throw new RetriableError('the outside system is restarting');
    }
    const out = this.#records.splice(0);
    if (out.length === 0 && this.end) throw new EndOfInputError('done');
    if (out.length === 0) await new Promise((r) => setTimeout(r, 50));
    return out;
  }
  stop(): void {}
}

test('a retriable poll error is polled again with backoff; any other fails the task; end of input stops it', async () => {
  await createTopic('source-flaky', 2);
  const producer = new Producer({ namesrvAddr, group: 'source-flaky' });
  const positions = new PositionStore(new MemoryStore());
  const runner = (task: SourceTask, taskId: number) =>
    new SourceTaskRunner({
      connector: 'flaky',
      taskId,
      task,
      config: {},
      producer,
      positions,
      logger: silentLogger,
      limits: { commitIntervalMs: 100, retryBackoffMs: 20, maxRetryBackoffMs: 40 },
    });
  const until = async (what: string, ok: () => boolean) => {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    const healing = runner(new Flaky(3, true, 5), 0);
    await healing.start();
    await until('the end of the input', () => healing.status.state === 'STOPPED');
    assert.equal(healing.acknowledged, 5, 'every record after the passing failures went out');
    assert.deepEqual(positions.get('flaky', { p: 'flaky' }), { n: 5 }, 'and its position was stored');
    await healing.stop();

    const broken: SourceTask = {
      start() {},
      poll: async () => {
        throw new Error('a bad setting');
      },
      stop() {},
    };
    const failing = runner(broken, 1);
    await failing.start();
    await until('the task to fail', () => failing.status.state === 'FAILED');
    assert.match(failing.status.trace ?? '', /a bad setting/);
    await failing.stop();
  } finally {
    producer.close();
  }
});

/** Polls numbered records into `topic` until told to stop. */
class Endless implements SourceTask {
  n = 0;
  readonly topic: string;
  constructor(topic: string) {
    this.topic = topic;
  }
  start(): void {}
  async poll(): Promise<SourceRecord[]> {
    await new Promise((r) => setTimeout(r, 5));
    return Array.from({ length: 20 }, () => ({
      sourcePartition: { p: 'endless' },
      sourcePosition: { n: ++this.n },
      topic: this.topic,
      value: Buffer.from(`z${this.n}`),
    }));
  }
  stop(): void {}
}

async function storedIn(topic: string): Promise<bigint> {
  const consumer = new PullConsumer({ namesrvAddr, group: `${topic}-count` });
  try {
    let n = 0n;
    for (const q of await consumer.queues(topic)) n += await consumer.maxOffset(q);
    return n;
  } finally {
    await consumer.close();
  }
}

test('the writer fence: once it says no, a runner sends no further batch', async () => {
  await createTopic('source-fenced', 2);
  const producer = new Producer({ namesrvAddr, group: 'source-fenced' });
  let mayWrite = true;
  const runner = new SourceTaskRunner({
    connector: 'fenced',
    taskId: 0,
    task: new Endless('source-fenced'),
    config: {},
    producer,
    positions: new PositionStore(new MemoryStore()),
    logger: silentLogger,
    mayWrite: () => mayWrite,
  });
  try {
    await runner.start();
    while (runner.acknowledged < 200) await new Promise((r) => setTimeout(r, 20));
    mayWrite = false;
    await new Promise((r) => setTimeout(r, 300));
    const atFence = runner.acknowledged;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(runner.acknowledged, atFence, 'nothing acknowledged after the fence closed');
    assert.equal(await storedIn('source-fenced'), BigInt(atFence), 'and nothing stored');
    await runner.stop(200);
  } finally {
    producer.close();
  }
});

// Last in this file: it kills the broker. A runner stopped while the broker is away must not
// send what it still holds once the broker is back: its task has moved on (in a cluster, to
// another worker), and late copies would be duplicates behind the new owner's records.
test('a runner stopped during a broker outage writes nothing when the broker comes back', async () => {
  await createTopic('source-zombie', 2);
  const producer = new Producer({ namesrvAddr, group: 'source-zombie', sendTimeoutMs: 1000 });
  const runner = new SourceTaskRunner({
    connector: 'zombie',
    taskId: 0,
    task: new Endless('source-zombie'),
    config: {},
    producer,
    positions: new PositionStore(new MemoryStore()),
    logger: silentLogger,
    limits: { retryBackoffMs: 50, maxRetryBackoffMs: 200, maxBatchRecords: 20 },
  });
  try {
    await runner.start();
    while (runner.acknowledged < 200) await new Promise((r) => setTimeout(r, 20));
    await brokers().rocketmq!.broker('broker-a').kill();
    await new Promise((r) => setTimeout(r, 500));
    await runner.stop(300);
    const acknowledged = runner.acknowledged;
    await brokers().rocketmq!.startBroker('broker-a');
    // The retry backoff is 200 ms at most: a zombie would have sent within this time.
    await new Promise((r) => setTimeout(r, 4000));
    // A batch in flight when the broker died may have been stored unanswered: one per queue at
    // most. A zombie would send everything it still held (thousands of records polled meanwhile).
    const extra = Number((await storedIn('source-zombie')) - BigInt(acknowledged));
    assert.ok(
      extra >= 0 && extra <= 2 * 20,
      `${extra} records stored beyond the ${acknowledged} acknowledged`,
    );
  } finally {
    producer.close();
  }
});

test('a fence that says no while a send waits to be tried again: nothing is written when the broker is back', async () => {
  await createTopic('source-frozen', 2);
  const producer = new Producer({ namesrvAddr, group: 'source-frozen', sendTimeoutMs: 1000 });
  let fence = true;
  const runner = new SourceTaskRunner({
    connector: 'frozen',
    taskId: 0,
    task: new Endless('source-frozen'),
    config: {},
    producer,
    positions: new PositionStore(new MemoryStore()),
    logger: silentLogger,
    // Long waits between tries: the fence turns while a sender sits in one (a worker frozen
    // there whose lease ran out meanwhile).
    limits: { retryBackoffMs: 3000, maxRetryBackoffMs: 3000, maxBatchRecords: 20 },
    mayWrite: () => fence,
  });
  try {
    await runner.start();
    while (runner.acknowledged < 200) await new Promise((r) => setTimeout(r, 20));
    await brokers().rocketmq!.broker('broker-a').kill();
    await brokers().rocketmq!.startBroker('broker-a');
    fence = false;
    const atFence = await storedIn('source-frozen');
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(await storedIn('source-frozen'), atFence, 'nothing written once the fence said no');
  } finally {
    await runner.stop(300);
    producer.close();
  }
});
