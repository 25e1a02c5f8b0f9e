import { KafkaReader, KafkaWriter } from '@sluice/connector-kafka';
import { Producer, PullConsumer } from '@sluice/rocketmq';
import type { Endpoints } from './broker-rates.ts';
import { pace } from './pacer.ts';
import { body, stamp } from './records.ts';

// End-to-end latency at a fixed rate: each record carries its send time (this process's clock);
// the reader at the far end takes the difference when it sees the record.

export type Writer = (bodies: Buffer[]) => Promise<void>;
/** Starts reading; calls `seen` for each body; resolves to a function that stops reading. */
export type Reader = (seen: (b: Buffer) => void) => Promise<() => Promise<void>>;

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  /** Records sent but not seen when the run ended. */
  missing: number;
}

/**
 * Sends `rate` records/s of `size` bytes for `seconds`, after a warm-up
 * whose records are not counted; waits up to 10 s for stragglers.
 */
export async function measureLatency(
  write: Writer,
  read: Reader,
  opts: { rate: number; seconds: number; size: number; warmupSeconds?: number },
): Promise<Latency> {
  const warmupMs = (opts.warmupSeconds ?? 2) * 1000;
  const latencies: number[] = [];
  const t0 = performance.now();
  const stop = await read((b) => {
    const sentAt = stamp(b);
    if (sentAt - t0 >= warmupMs) latencies.push(performance.now() - sentAt);
  });
  const { counted } = await pace(
    opts.rate,
    warmupMs + opts.seconds * 1000,
    (now) => body(opts.size, now.toFixed(3)),
    write,
    {
      countFromMs: warmupMs,
    },
  );
  const expected = counted;
  const deadline = performance.now() + 10_000;
  while (latencies.length < expected && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
    samples: sorted.length,
    missing: Math.max(0, expected - sorted.length),
  };
}

export function kafkaWriter(ep: Endpoints, topic: string): { write: Writer; close: () => Promise<void> } {
  const w = new KafkaWriter({ bootstrap: ep.bootstrap, clientId: 'bench-latency' });
  return {
    write: (bodies) =>
      w.send(bodies.map((value, i) => ({ topic, key: Buffer.from(`k${i % 16}`), value, headers: {} }))),
    close: () => w.close(),
  };
}

export function rocketmqWriter(ep: Endpoints, topic: string): { write: Writer; close: () => Promise<void> } {
  const p = new Producer({ namesrvAddr: ep.namesrvAddr, group: 'bench-latency' });
  return {
    write: async (bodies) => {
      await p.sendBatch(bodies.map((b, i) => ({ topic, body: b, keys: `k${i % 16}` })));
    },
    close: async () => p.close(),
  };
}

/** Reads every queue of a RocketMQ topic from its current end, one long-polling loop per queue. */
export function rocketmqReader(ep: Endpoints, topic: string): Reader {
  return async (seen) => {
    const consumer = new PullConsumer({ namesrvAddr: ep.namesrvAddr, group: `bench-latency-${topic}` });
    const abort = new AbortController();
    const loops = (await consumer.queues(topic)).map(async (q) => {
      let o = await consumer.maxOffset(q);
      while (!abort.signal.aborted) {
        const r = await consumer
          .pull(q, o, { maxMessages: 32, suspendMs: 1000, signal: abort.signal })
          .catch(() => undefined);
        if (!r) continue;
        for (const m of r.messages) seen(m.body);
        o = r.nextBeginOffset;
      }
    });
    return async () => {
      abort.abort();
      await Promise.all(loops);
      await consumer.close();
    };
  };
}

/** Reads every partition of a Kafka topic from its current end. */
export function kafkaReader(ep: Endpoints, topic: string): Reader {
  return async (seen) => {
    const reader = new KafkaReader({ bootstrap: ep.bootstrap, clientId: 'bench-latency' }, 'bench-latency');
    const parts = await reader.partitions([topic]);
    const ends = await reader.offsets(parts, 'latest');
    const next = new Map(
      parts.map((p) => [
        `${p.topic}:${p.partition}`,
        { ref: p, offset: ends.get(`${p.topic}:${p.partition}`)! },
      ]),
    );
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const { records } = await reader.fetch(next, { maxWaitMs: 100, maxBytes: 1024 * 1024 });
        for (const r of records) {
          next.get(`${r.topic}:${r.partition}`)!.offset = r.offset + 1n;
          if (r.value) seen(r.value);
        }
      }
    })();
    return async () => {
      stopped = true;
      await loop;
      await reader.close();
    };
  };
}
