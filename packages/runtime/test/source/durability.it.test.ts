import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Logger, SourceRecord, SourceTask } from '@sluice/connect-api';
import { Admin, Producer, PullConsumer } from '@sluice/rocketmq';
import { useBrokers } from '@sluice/testkit';
import { SourceTaskRunner } from '../../src/source/source-task-runner.ts';
import { MemoryStore } from '../../src/stores/memory-store.ts';
import { PositionStore } from '../../src/stores/position-store.ts';

// A SYNC_FLUSH broker given no time to flush stores every message but answers
// FLUSH_DISK_TIMEOUT: the durability it promises was not reached, so no source position may move
// on that answer (the same holds for FLUSH_SLAVE_TIMEOUT and SLAVE_NOT_AVAILABLE).

const brokers = useBrokers({
  kafka: false,
  rocketmq: { brokerConfig: { flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 0 } },
});
let namesrvAddr: string;

before(async () => {
  namesrvAddr = (await brokers.ready()).rocketmq!.namesrvAddr;
});

class ThreeRecords implements SourceTask {
  #done = false;
  start(): void {}
  async poll(): Promise<SourceRecord[]> {
    if (this.#done) {
      await new Promise((r) => setTimeout(r, 50));
      return [];
    }
    this.#done = true;
    return [1, 2, 3].map((n) => ({
      sourcePartition: { p: 0 },
      sourcePosition: { n },
      topic: 'durability',
      value: Buffer.from(`r${n}`),
    }));
  }
  stop(): void {}
}

test('a send the broker stored but not as durably as promised does not move the position', async () => {
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic('durability', { readQueueNums: 1, writeQueueNums: 1 });
  admin.close();
  // What the broker answered, per message: the flush sometimes makes it in 0 ms after all, and
  // an answer of SEND_OK is then rightly acknowledged.
  const sent = { ok: 0, total: 0 };
  class Counting extends Producer {
    override async sendBatch(...args: Parameters<Producer['sendBatch']>) {
      const r = await super.sendBatch(...args);
      sent.total += args[0].length;
      if (r.status === 'SEND_OK') sent.ok += args[0].length;
      return r;
    }
    override async send(...args: Parameters<Producer['send']>) {
      const r = await super.send(...args);
      sent.total += 1;
      if (r.status === 'SEND_OK') sent.ok += 1;
      return r;
    }
  }
  const producer = new Counting({ namesrvAddr, group: 'durability' });
  const consumer = new PullConsumer({ namesrvAddr, group: 'durability-check' });
  const warnings: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (msg, fields) => warnings.push(`${msg} ${JSON.stringify(fields)}`),
    error() {},
  };
  const positions = new PositionStore(new MemoryStore());
  const runner = new SourceTaskRunner({
    connector: 'durable',
    taskId: 0,
    task: new ThreeRecords(),
    config: {},
    producer,
    positions,
    logger,
    limits: { commitIntervalMs: 100, retryBackoffMs: 200, maxRetryBackoffMs: 400 },
  });
  try {
    await runner.start();
    const stored = async () => {
      let n = 0n;
      for (const q of await consumer.queues('durability')) n += await consumer.maxOffset(q);
      return n;
    };
    const t0 = Date.now();
    // Stored, and sent again while the answer is FLUSH_DISK_TIMEOUT, until one is SEND_OK.
    while ((await stored()) < 6n && sent.ok === 0) {
      if (Date.now() - t0 > 30_000) throw new Error(`only ${await stored()} stored`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(sent.total > sent.ok, 'the broker answered FLUSH_DISK_TIMEOUT at least once');
    assert.equal(runner.acknowledged, sent.ok, 'only SEND_OK answers are acknowledged');
    assert.equal(await stored(), BigInt(sent.total), 'each answer that was not SEND_OK was sent again');
    if (sent.ok === 0) assert.equal(positions.get('durable', { p: 0 }), undefined, 'no position moved');
    assert.ok(
      warnings.some((w) => w.includes('FLUSH_DISK_TIMEOUT')),
      `warned: ${warnings.join('\n')}`,
    );
  } finally {
    await runner.stop();
    producer.close();
    await consumer.close();
  }
});
