import type { Consumer, Producer } from '@platformatic/kafka';

// The only file that imports the Kafka library: the connectors see these few calls, so the
// library can be swapped (e.g. for @confluentinc/kafka-javascript) without touching them.
//
// The library is loaded on first use, not with the plugin: it costs ~300 ms and ~60 MiB at load
// (it brings schema-registry codecs along), which a worker running no Kafka task should not pay.
let library: Promise<typeof import('@platformatic/kafka')> | undefined;
function kafkaLibrary(): Promise<typeof import('@platformatic/kafka')> {
  library ??= import('@platformatic/kafka');
  return library;
}

export interface KafkaClientSettings {
  bootstrap: string[];
  clientId: string;
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
  /** Node's TLS options: the CA to trust and, for mTLS, this client's certificate and key. */
  tls?: { ca?: string; cert?: string; key?: string; passphrase?: string; rejectUnauthorized?: boolean };
  requestTimeoutMs?: number;
}

export interface FetchedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer][];
}

// A type, not an interface: it is also a connector's SourcePartition, a plain record.
export type PartitionRef = {
  topic: string;
  partition: number;
};

/** Header names and values as bytes, in the order they are written. */
export type KafkaHeaderBytes = Map<Buffer, Buffer>;

/**
 * A record to write. With headers as bytes and the timestamp as a bigint (what `sinkToKafka`
 * makes) it goes to the producer as it is; by name, or a number, it is converted first.
 */
export interface OutgoingKafkaRecord {
  topic: string;
  key?: Buffer;
  value: Buffer;
  headers?: KafkaHeaderBytes | Record<string, Buffer>;
  /** Milliseconds since the epoch. */
  timestamp?: number | bigint;
}

type ProducerMessage = {
  topic: string;
  key?: Buffer;
  value: Buffer;
  headers?: KafkaHeaderBytes;
  timestamp?: bigint;
};

function producerMessage(r: OutgoingKafkaRecord): ProducerMessage {
  if ((r.headers === undefined || r.headers instanceof Map) && typeof r.timestamp !== 'number')
    return r as ProducerMessage;
  const h = r.headers;
  return {
    topic: r.topic,
    value: r.value,
    // Header names go as bytes: without serializers the library takes no strings.
    ...(h
      ? { headers: h instanceof Map ? h : new Map(Object.entries(h).map(([k, v]) => [Buffer.from(k), v])) }
      : {}),
    ...(r.key ? { key: r.key } : {}),
    ...(r.timestamp !== undefined ? { timestamp: BigInt(r.timestamp) } : {}),
  };
}

const ERR_OFFSET_OUT_OF_RANGE = 1;
const CONTROL_BATCH = 0x20;

function connection(s: KafkaClientSettings) {
  return {
    clientId: s.clientId,
    bootstrapBrokers: s.bootstrap,
    ...(s.sasl ? { sasl: s.sasl } : {}),
    ...(s.tls ? { tls: s.tls } : {}),
    ...(s.requestTimeoutMs ? { requestTimeout: s.requestTimeoutMs } : {}),
    retries: 3,
  };
}

/**
 * Reads chosen partitions from chosen offsets, without a consumer group: which task reads which
 * partition, and where it resumes, is the runtime's business (its position store), so a task
 * restart never waits for a group rebalance.
 */
export class KafkaReader {
  readonly #ready: Promise<Consumer<Buffer, Buffer, Buffer, Buffer>>;

  constructor(settings: KafkaClientSettings, groupId: string) {
    this.#ready = kafkaLibrary().then((k) => new k.Consumer({ ...connection(settings), groupId }));
    // A failure surfaces at first use; until then it must not count as unhandled.
    this.#ready.catch(() => {});
  }

  /** Every partition of the topics, sorted by topic then partition. Missing topics are an error. */
  async partitions(topics: readonly string[]): Promise<PartitionRef[]> {
    const consumer = await this.#ready;
    const md = await consumer.metadata({ topics: [...topics], forceUpdate: true });
    const out: PartitionRef[] = [];
    for (const topic of [...topics].sort()) {
      const t = md.topics.get(topic);
      if (!t) throw new Error(`Kafka topic ${topic} does not exist`);
      for (let p = 0; p < t.partitionsCount; p++) out.push({ topic, partition: p });
    }
    return out;
  }

  /** First (`earliest`) or next (`latest`) offset of each partition. */
  async offsets(parts: readonly PartitionRef[], which: 'earliest' | 'latest'): Promise<Map<string, bigint>> {
    const topics = [...new Set(parts.map((p) => p.topic))];
    const res = await (await this.#ready).listOffsets({
      topics,
      timestamp: which === 'earliest' ? -2n : -1n,
    });
    const out = new Map<string, bigint>();
    for (const p of parts) {
      const o = res.get(p.topic)?.[p.partition];
      if (o !== undefined) out.set(`${p.topic}:${p.partition}`, o);
    }
    return out;
  }

  /**
   * One fetch round over the given partitions (grouped by leader), waiting at most `maxWaitMs`
   * for data. Returns records at or after each partition's offset, partitions whose offset
   * was out of range, and each answered partition's high watermark (`topic:partition` → offset).
   */
  async fetch(
    positions: ReadonlyMap<string, { ref: PartitionRef; offset: bigint }>,
    opts: { maxWaitMs: number; maxBytes: number },
  ): Promise<{ records: FetchedRecord[]; outOfRange: PartitionRef[]; ends: Map<string, bigint> }> {
    const topics = [...new Set([...positions.values()].map((p) => p.ref.topic))];
    const ends = new Map<string, bigint>();
    if (topics.length === 0) return { records: [], outOfRange: [], ends };
    const consumer = await this.#ready;
    const md = await consumer.metadata({ topics });
    const byLeader = new Map<
      number,
      Map<string, { partition: number; fetchOffset: bigint; currentLeaderEpoch: number }[]>
    >();
    const topicOfId = new Map<string, string>();
    for (const { ref, offset } of positions.values()) {
      const t = md.topics.get(ref.topic);
      const pm = t?.partitions[ref.partition];
      if (!t || !pm) continue;
      topicOfId.set(t.id, ref.topic);
      const topicsOfLeader = byLeader.get(pm.leader) ?? new Map();
      byLeader.set(pm.leader, topicsOfLeader);
      const list = topicsOfLeader.get(t.id) ?? [];
      topicsOfLeader.set(t.id, list);
      list.push({ partition: ref.partition, fetchOffset: offset, currentLeaderEpoch: pm.leaderEpoch });
    }
    const records: FetchedRecord[] = [];
    const outOfRange: PartitionRef[] = [];
    let failure: unknown;
    await Promise.all(
      [...byLeader].map(async ([node, topicMap]) => {
        try {
          const res = await consumer.fetch({
            node,
            maxWaitTime: opts.maxWaitMs,
            minBytes: 1,
            maxBytes: opts.maxBytes,
            topics: [...topicMap].map(([topicId, parts]) => ({
              topicId,
              partitions: parts.map((p) => ({
                partition: p.partition,
                currentLeaderEpoch: p.currentLeaderEpoch,
                fetchOffset: p.fetchOffset,
                lastFetchedEpoch: -1,
                partitionMaxBytes: opts.maxBytes,
              })),
            })),
          });
          for (const t of res.responses) {
            const topic = topicOfId.get(t.topicId);
            if (!topic) continue;
            for (const p of t.partitions) {
              if (p.errorCode === ERR_OFFSET_OUT_OF_RANGE) {
                outOfRange.push({ topic, partition: p.partitionIndex });
                continue;
              }
              if (p.errorCode !== 0) {
                failure ??= new Error(
                  `Kafka fetch of ${topic}-${p.partitionIndex} failed with error code ${p.errorCode}`,
                );
                continue;
              }
              const from = positions.get(`${topic}:${p.partitionIndex}`)!.offset;
              ends.set(`${topic}:${p.partitionIndex}`, p.highWatermark);
              for (const batch of p.records ?? []) {
                if (batch.attributes & CONTROL_BATCH) continue;
                for (const r of batch.records) {
                  const offset = batch.firstOffset + BigInt(r.offsetDelta);
                  if (offset < from) continue;
                  records.push({
                    topic,
                    partition: p.partitionIndex,
                    offset,
                    timestamp: Number(batch.firstTimestamp + r.timestampDelta),
                    key: r.key,
                    value: r.value,
                    headers: r.headers
                      .filter((h): h is [Buffer, Buffer | null] => h[0] !== null)
                      .map(([k, v]) => [k.toString('utf8'), v ?? Buffer.alloc(0)]),
                  });
                }
              }
            }
          }
        } catch (err) {
          failure ??= err;
        }
      }),
    );
    // Stale metadata (a leader moved): refresh for the next round, report if nothing came.
    if (failure) {
      await consumer.metadata({ topics, forceUpdate: true }).catch(() => {});
      if (records.length === 0 && outOfRange.length === 0) throw failure;
    }
    return { records, outOfRange, ends };
  }

  async close(): Promise<void> {
    await (await this.#ready).close(true).catch(() => {});
  }
}

/** An idempotent producer with acks=all: a send resolves only once every in-sync replica has it. */
export class KafkaWriter {
  readonly #ready: Promise<Producer<Buffer, Buffer, Buffer, Buffer>>;

  constructor(
    settings: KafkaClientSettings,
    opts: { compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'; autocreateTopics?: boolean } = {},
  ) {
    this.#ready = kafkaLibrary().then(
      (k) =>
        new k.Producer({
          ...connection(settings),
          acks: -1,
          idempotent: true,
          // A missing destination topic is created with the brokers' defaults, as Kafka Connect does.
          autocreateTopics: opts.autocreateTopics ?? true,
          ...(opts.compression && opts.compression !== 'none' ? { compression: opts.compression } : {}),
        }),
    );
    this.#ready.catch(() => {});
  }

  async send(records: readonly OutgoingKafkaRecord[]): Promise<void> {
    if (records.length === 0) return;
    await (await this.#ready).send({ messages: records.map(producerMessage) });
  }

  async close(): Promise<void> {
    await (await this.#ready).close().catch(() => {});
  }
}
