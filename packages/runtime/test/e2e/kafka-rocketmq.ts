import { Admin as KafkaAdmin } from '@platformatic/kafka';
import { KafkaReader, KafkaWriter } from '@sluice/connector-kafka';
import { Admin, type MessageExt, Producer, PullConsumer } from '@sluice/rocketmq';

// Both sides of the Kafka ⇄ RocketMQ tests, read and written with plain clients.

/** An ACL account's keys, for brokers started with ACL. */
type Credentials = { accessKey: string; secretKey: string };

export async function createTopics(
  namesrvAddr: string,
  topics: { rocketmq?: string[]; queues?: number },
  credentials?: Credentials,
) {
  const admin = new Admin({ namesrvAddr, ...(credentials ? { credentials } : {}) });
  try {
    for (const t of topics.rocketmq ?? [])
      await admin.createTopic(t, { readQueueNums: topics.queues ?? 4, writeQueueNums: topics.queues ?? 4 });
  } finally {
    admin.close();
  }
}

/** Every message of a RocketMQ topic, from the first offset of each queue. */
export async function readRocketMQ(
  namesrvAddr: string,
  topic: string,
  credentials?: Credentials,
): Promise<MessageExt[]> {
  const consumer = new PullConsumer({
    namesrvAddr,
    group: `reader-${topic}-${process.pid}`,
    ...(credentials ? { credentials } : {}),
  });
  try {
    const out: MessageExt[] = [];
    for (const q of await consumer.queues(topic)) {
      const end = await consumer.maxOffset(q);
      let offset = await consumer.minOffset(q);
      while (offset < end) {
        const r = await consumer.pull(q, offset, { maxMessages: 512 });
        out.push(...r.messages);
        if (r.nextBeginOffset <= offset) break;
        offset = r.nextBeginOffset;
      }
    }
    return out;
  } finally {
    await consumer.close();
  }
}

export async function writeRocketMQ(
  namesrvAddr: string,
  messages: { topic: string; body: Buffer; keys?: string; properties?: Record<string, string> }[],
): Promise<void> {
  const producer = new Producer({ namesrvAddr, group: `writer-${process.pid}` });
  try {
    for (let i = 0; i < messages.length; i += 256) {
      const chunk = messages.slice(i, i + 256);
      await Promise.all(chunk.map((m) => producer.send(m, m.keys ? { shardingKey: m.keys } : {})));
    }
  } finally {
    producer.close();
  }
}

export interface KafkaRead {
  partition: number;
  offset: bigint;
  key: string | undefined;
  value: Buffer;
  headers: Record<string, string>;
  timestamp: number;
}

/** Every record of a Kafka topic, from the earliest offset to the high watermark. */
export async function readKafka(bootstrap: string, topic: string): Promise<KafkaRead[]> {
  const reader = new KafkaReader({ bootstrap: bootstrap.split(','), clientId: 'test-reader' }, 'test-reader');
  try {
    const parts = await reader.partitions([topic]);
    const start = await reader.offsets(parts, 'earliest');
    const end = await reader.offsets(parts, 'latest');
    const next = new Map(
      parts.map((p) => [
        `${p.topic}:${p.partition}`,
        { ref: p, offset: start.get(`${p.topic}:${p.partition}`) ?? 0n },
      ]),
    );
    const out: KafkaRead[] = [];
    for (;;) {
      for (const [k, v] of [...next]) if (v.offset >= (end.get(k) ?? 0n)) next.delete(k);
      if (next.size === 0) return out;
      const { records } = await reader.fetch(next, { maxWaitMs: 200, maxBytes: 8 * 1024 * 1024 });
      for (const r of records) {
        const n = next.get(`${r.topic}:${r.partition}`);
        if (!n || r.offset < n.offset) continue;
        n.offset = r.offset + 1n;
        out.push({
          partition: r.partition,
          offset: r.offset,
          key: r.key ? r.key.toString('utf8') : undefined,
          value: r.value ?? Buffer.alloc(0),
          headers: Object.fromEntries(r.headers.map(([hk, hv]) => [hk, hv.toString('utf8')])),
          timestamp: r.timestamp,
        });
      }
    }
  } finally {
    await reader.close();
  }
}

export async function writeKafka(
  bootstrap: string,
  records: { topic: string; key?: string; value: Buffer; headers?: Record<string, string> }[],
): Promise<void> {
  const writer = new KafkaWriter({ bootstrap: bootstrap.split(','), clientId: 'test-writer' });
  try {
    for (let i = 0; i < records.length; i += 1000) {
      await writer.send(
        records.slice(i, i + 1000).map((r) => ({
          topic: r.topic,
          ...(r.key ? { key: Buffer.from(r.key) } : {}),
          value: r.value,
          headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
        })),
      );
    }
  } finally {
    await writer.close();
  }
}

export async function createKafkaTopics(
  bootstrap: string,
  topics: string[],
  partitions = 3,
  configs: Record<string, string> = {},
): Promise<void> {
  const admin = new KafkaAdmin({ clientId: 'test-admin', bootstrapBrokers: bootstrap.split(',') });
  try {
    await admin.createTopics({
      topics,
      partitions,
      replicas: 1,
      configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
    });
  } finally {
    await admin.close();
  }
}
