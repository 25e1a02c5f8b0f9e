import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { SourceRecord, SourceTask } from '@sluice/connect-api';
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
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic('source-limits', { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
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
