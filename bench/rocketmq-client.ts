// Our RocketMQ client against RocketMQ's own Java client, on the same broker, in the same run:
// single sends (one in flight, like Java's sync send), batched sends, and pulls. Each side warms
// up with the same kind of send before it is timed; pull timings include the consumer's start.
//
//   node --conditions=sluice:source bench/rocketmq-client.ts [--count 20000] [--size 1024] [--batch 64] [--rounds 2]
//
// Prints messages/s for both clients and our ratio (ours ÷ Java). Not part of the test suite.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Admin, type MessageQueue, Producer, PullConsumer } from '@sluice/rocketmq';
import { javaPeer, startBrokers } from '@sluice/testkit';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    size: { type: 'string', default: '1024' },
    batch: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '2' },
    quick: { type: 'boolean', default: false },
  },
});
const count = values.quick ? 5000 : Number(values.count);
const size = Number(values.size);
const batch = Number(values.batch);
const rounds = values.quick ? 1 : Number(values.rounds);

const brokers = await startBrokers({ kafka: false });
const rocketmq = brokers.rocketmq!;
const { namesrvAddr } = rocketmq;
const admin = new Admin({ namesrvAddr });
const body = Buffer.alloc(size, 'x');
const rows: { op: string; java: number; ours: number; ratio: number }[] = [];

async function javaRate(args: string[]): Promise<number> {
  const [line] = await javaPeer(rocketmq, args);
  const [, n, ms] = line!.split('\t');
  return Number(n) / (Number(ms) / 1000);
}

async function oursProduce(topic: string, batchSize: number): Promise<number> {
  const producer = new Producer({ namesrvAddr, compressOverBytes: Number.MAX_SAFE_INTEGER });
  // Warm-up (route, connection, JIT), as the Java side does: same kind of send, not timed.
  const warm = Math.max(1, Math.min(2000, Math.floor(count / 10)));
  for (let i = 0; i < warm; i += Math.max(1, batchSize)) {
    if (batchSize <= 1) await producer.send({ topic, body });
    else await producer.sendBatch(Array.from({ length: batchSize }, () => ({ topic, body })));
  }
  const t0 = performance.now();
  if (batchSize <= 1) {
    for (let i = 0; i < count; i++) await producer.send({ topic, body });
  } else {
    for (let i = 0; i < count; i += batchSize) {
      const n = Math.min(batchSize, count - i);
      await producer.sendBatch(Array.from({ length: n }, () => ({ topic, body })));
    }
  }
  const rate = count / ((performance.now() - t0) / 1000);
  producer.close();
  return rate;
}

async function oursPull(topic: string, group: string): Promise<number> {
  const t0 = performance.now();
  const consumer = new PullConsumer({ namesrvAddr, group });
  const queues = await consumer.queues(topic);
  let got = 0;
  // One pull loop per queue, as the Java lite-pull consumer runs one per queue.
  await Promise.all(
    queues.map(async (q: MessageQueue) => {
      let offset = 0n;
      for (;;) {
        const r = await consumer.pull(q, offset, { maxMessages: 32 });
        got += r.messages.length;
        offset = r.nextBeginOffset;
        if (r.status !== 'FOUND' || got >= count) break;
      }
    }),
  );
  const rate = got / ((performance.now() - t0) / 1000);
  await consumer.close();
  return rate;
}

try {
  for (let round = 1; round <= rounds; round++) {
    const t = (name: string) => `${name}-${round}`;
    for (const name of ['java-single', 'ours-single', 'java-batch', 'ours-batch']) {
      await admin.createTopic(t(name), { readQueueNums: 4, writeQueueNums: 4 });
    }
    const n = String(count);
    const s = String(size);
    rows.push({
      op: `single send, ${size} B`,
      java: await javaRate(['bench-produce', namesrvAddr, t('java-single'), n, s, '1']),
      ours: await oursProduce(t('ours-single'), 1),
      ratio: 0,
    });
    rows.push({
      op: `batched send (${batch}), ${size} B`,
      java: await javaRate(['bench-produce', namesrvAddr, t('java-batch'), n, s, String(batch)]),
      ours: await oursProduce(t('ours-batch'), batch),
      ratio: 0,
    });
    // Both read the same topic (the Java batches), each with its own group, from offset 0.
    rows.push({
      op: `pull, ${size} B`,
      java: await javaRate(['bench-pull', namesrvAddr, t('java-batch'), `java-pull-${round}`, n]),
      ours: await oursPull(t('java-batch'), `ours-pull-${round}`),
      ratio: 0,
    });
  }
  for (const r of rows) r.ratio = Number((r.ours / r.java).toFixed(2));
  console.table(rows.map((r) => ({ ...r, java: Math.round(r.java), ours: Math.round(r.ours) })));
  const out = join(import.meta.dirname, 'results', `rocketmq-client-${Date.now()}.json`);
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), count, size, batch, rows }, null, 2)}\n`,
  );
  console.log(`written ${out}`);
} finally {
  admin.close();
  await brokers.stop();
}
