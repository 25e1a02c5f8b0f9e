import { type FetchedRecord, KafkaReader, KafkaWriter, type PartitionRef } from '@sluice/connector-kafka';
import {
  javaHashCode,
  type Message,
  type MessageExt,
  type MessageQueue,
  Producer,
  PullConsumer,
} from '@sluice/rocketmq';
import type { Endpoints } from './broker-rates.ts';
import { rate } from './records.ts';

// The same moves as the connectors, with the same client libraries and the same guarantees a
// bridge must keep (per-key order, nothing counted before the other side acknowledged), but no
// runtime: no positions, no offsets, no tasks, no connector API. The ceiling for our overhead.
// The messages they write carry what the connectors' do (key, timestamp, headers, loop marker),
// so the two write the same bytes.
// `loops` plays the part of the task count: each loop owns every loops-th partition or queue.

const MAX_IN_FLIGHT = 10_000; // records sent and not acknowledged, as the source runner's default
const BATCH = 256;

/** Kafka → RocketMQ: fetch; per destination queue one batch in flight, in order; records/s. */
export async function bareKafkaToRocketMQ(
  ep: Endpoints,
  from: string,
  to: string,
  count: number,
  loops: number,
): Promise<number> {
  const producer = new Producer({ namesrvAddr: ep.namesrvAddr, group: 'bench-bare' });
  const queues = await producer.queues(to);
  const probe = new KafkaReader({ bootstrap: ep.bootstrap, clientId: 'bench-bare' }, 'bench-bare');
  const parts = await probe.partitions([from]);
  await probe.close();
  let moved = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: loops }, (_, i) =>
      kafkaLoop(
        ep,
        parts.filter((_, j) => j % loops === i),
        producer,
        queues,
        () => moved >= count,
        (n) => {
          moved += n;
        },
      ),
    ),
  );
  const r = rate(moved, t0);
  producer.close();
  return r;
}

async function kafkaLoop(
  ep: Endpoints,
  parts: PartitionRef[],
  producer: Producer,
  queues: MessageQueue[],
  done: () => boolean,
  acked: (n: number) => void,
): Promise<void> {
  const reader = new KafkaReader({ bootstrap: ep.bootstrap, clientId: 'bench-bare' }, 'bench-bare');
  const next = new Map(parts.map((p) => [`${p.topic}:${p.partition}`, { ref: p, offset: 0n }]));
  const pending = new Map<MessageQueue, Message[]>(queues.map((q) => [q, []]));
  const running = new Map<MessageQueue, Promise<void>>();
  let inFlight = 0;
  const drain = (q: MessageQueue): Promise<void> => {
    const run = (async () => {
      const list = pending.get(q)!;
      while (list.length > 0) {
        const batch = list.splice(0, BATCH);
        await producer.sendBatch(batch, { queue: q });
        inFlight -= batch.length;
        acked(batch.length);
      }
    })().finally(() => running.delete(q));
    running.set(q, run);
    return run;
  };
  while (!done()) {
    while (inFlight >= MAX_IN_FLIGHT) await Promise.race(running.values());
    const { records } = await reader.fetch(next, { maxWaitMs: 100, maxBytes: 4 * 1024 * 1024 });
    for (const r of records as FetchedRecord[]) {
      next.get(`${r.topic}:${r.partition}`)!.offset = r.offset + 1n;
      const key = r.key?.toString('utf8') ?? '';
      const q = queues[Math.abs(javaHashCode(key) % queues.length)]!;
      const properties: Record<string, string> = { by_connector: `kafka:${r.topic}` };
      for (const [k, v] of r.headers) properties[k] = v.toString('utf8');
      properties['sluice.timestamp'] = String(r.timestamp);
      pending.get(q)!.push({ topic: q.topic, body: r.value ?? Buffer.alloc(0), keys: key, properties });
      inFlight++;
    }
    for (const q of queues) if (pending.get(q)!.length > 0 && !running.has(q)) void drain(q);
    if (records.length === 0 && inFlight > 0) await Promise.race(running.values());
  }
  while (running.size > 0) await Promise.all(running.values());
  await reader.close();
}

/**
 * RocketMQ → Kafka: per queue a pull loop into a buffer of at most 2,000 records; per loop one
 * writer sends up to 500 buffered records at a time and waits for the acknowledgement; records/s.
 */
export async function bareRocketMQToKafka(
  ep: Endpoints,
  from: string,
  to: string,
  loops: number,
): Promise<number> {
  const consumer = new PullConsumer({ namesrvAddr: ep.namesrvAddr, group: `bench-bare-${from}-${to}` });
  const queues = await consumer.queues(from);
  const ends = new Map(await Promise.all(queues.map(async (q) => [q, await consumer.maxOffset(q)] as const)));
  let moved = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async (_, i) => {
      const mine = queues.filter((_, j) => j % loops === i);
      const total = mine.reduce((n, q) => n + Number(ends.get(q)!), 0);
      const writer = new KafkaWriter({ bootstrap: ep.bootstrap, clientId: 'bench-bare' });
      const buffer: MessageExt[] = [];
      let wakeSender: (() => void) | undefined;
      let wakePullers: (() => void)[] = [];
      const pullers = mine.map(async (q) => {
        for (let o = 0n; o < ends.get(q)!; ) {
          while (buffer.length >= 2000) await new Promise<void>((r) => wakePullers.push(r));
          const r = await consumer.pull(q, o, { maxMessages: 32 });
          buffer.push(...r.messages);
          o = r.nextBeginOffset;
          wakeSender?.();
        }
      });
      for (let sent = 0; sent < total; ) {
        if (buffer.length === 0) await new Promise<void>((r) => (wakeSender = r));
        const batch = buffer.splice(0, 500);
        for (const w of wakePullers.splice(0)) w();
        await writer.send(
          batch.map((m) => {
            const headers: Record<string, Buffer> = {};
            for (const [k, v] of Object.entries(m.userProperties)) headers[k] = Buffer.from(v, 'utf8');
            headers.by_connector = Buffer.from(`rocketmq:${from}`);
            return {
              topic: to,
              value: m.body,
              ...(m.keys.length > 0 ? { key: Buffer.from(m.keys[0]!) } : {}),
              headers,
              timestamp: m.bornTimestamp,
            };
          }),
        );
        sent += batch.length;
        moved += batch.length;
      }
      await Promise.all(pullers);
      await writer.close();
      wakePullers = [];
    }),
  );
  const r = rate(moved, t0);
  await consumer.close();
  return r;
}
