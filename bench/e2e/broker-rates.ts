import { KafkaReader, KafkaWriter } from '@sluice/connector-kafka';
import { type MessageQueue, Producer, PullConsumer } from '@sluice/rocketmq';
import { body, type ClientRun, clientRun } from './records.ts';

// The brokers' own rates with plain clients on this machine: the physical limit of any bridge.
// Each writer keeps several batches in flight; each reader reads every partition or queue at once.
// Each also says what the client cost in CPU per record: a bridge runs a reader and a writer in
// one process, so the sum of the two is the least CPU a record can cost it.

export interface Endpoints {
  namesrvAddr: string;
  bootstrap: string[];
}

/** Writes `count` records of `size` bytes to a Kafka topic. Keys cycle over 1,000. */
export async function produceKafka(
  ep: Endpoints,
  topic: string,
  count: number,
  size: number,
): Promise<ClientRun> {
  const writer = new KafkaWriter({ bootstrap: ep.bootstrap, clientId: 'bench-produce' });
  const batch = 1000;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < count; i += batch) {
    const records = [];
    for (let j = i; j < Math.min(count, i + batch); j++)
      records.push({ topic, key: Buffer.from(`key-${j % 1000}`), value: body(size, j), headers: {} });
    inFlight.push(writer.send(records));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const r = clientRun(count, t0, c0);
  await writer.close();
  return r;
}

/** Reads a Kafka topic from the start until `count` records came. */
export async function consumeKafka(ep: Endpoints, topic: string, count: number): Promise<ClientRun> {
  const reader = new KafkaReader({ bootstrap: ep.bootstrap, clientId: 'bench-consume' }, 'bench-consume');
  const parts = await reader.partitions([topic]);
  const next = new Map(parts.map((p) => [`${p.topic}:${p.partition}`, { ref: p, offset: 0n }]));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let got = 0;
  while (got < count) {
    const { records } = await reader.fetch(next, { maxWaitMs: 100, maxBytes: 8 * 1024 * 1024 });
    for (const r of records) next.get(`${r.topic}:${r.partition}`)!.offset = r.offset + 1n;
    got += records.length;
  }
  const r = clientRun(got, t0, c0);
  await reader.close();
  return r;
}

/** Writes `count` records to a RocketMQ topic in batches of 256, 8 batches in flight. */
export async function produceRocketMQ(
  ep: Endpoints,
  topic: string,
  count: number,
  size: number,
): Promise<ClientRun> {
  const producer = new Producer({ namesrvAddr: ep.namesrvAddr, group: 'bench-produce' });
  const batch = 256;
  const inFlight: Promise<unknown>[] = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < count; i += batch) {
    const msgs = [];
    for (let j = i; j < Math.min(count, i + batch); j++)
      msgs.push({ topic, body: body(size, j), keys: `key-${j % 1000}` });
    inFlight.push(producer.sendBatch(msgs));
    if (inFlight.length >= 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const r = clientRun(count, t0, c0);
  producer.close();
  return r;
}

/** Reads every message of a RocketMQ topic, all queues at once. */
export async function consumeRocketMQ(ep: Endpoints, topic: string): Promise<ClientRun> {
  const consumer = new PullConsumer({ namesrvAddr: ep.namesrvAddr, group: `bench-consume-${topic}` });
  const queues = await consumer.queues(topic);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let got = 0;
  await Promise.all(
    queues.map(async (q: MessageQueue) => {
      const end = await consumer.maxOffset(q);
      for (let o = 0n; o < end; ) {
        const r = await consumer.pull(q, o, { maxMessages: 32 });
        got += r.messages.length;
        o = r.nextBeginOffset;
      }
    }),
  );
  const r = clientRun(got, t0, c0);
  await consumer.close();
  return r;
}

/** Messages in a RocketMQ topic (sum of queue end offsets). */
export async function rocketmqCount(consumer: PullConsumer, topic: string): Promise<number> {
  let n = 0n;
  for (const q of await consumer.queues(topic)) n += await consumer.maxOffset(q);
  return Number(n);
}

/** Records in a Kafka topic (sum of partition end offsets). */
export async function kafkaCount(reader: KafkaReader, topic: string): Promise<number> {
  const parts = await reader.partitions([topic]);
  let n = 0n;
  for (const v of (await reader.offsets(parts, 'latest')).values()) n += v;
  return Number(n);
}
