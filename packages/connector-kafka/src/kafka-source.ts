import type {
  ConfigIssue,
  ConfigSpec,
  ConnectorConfig,
  ConnectorContext,
  Logger,
  SourceConnector,
  SourceRecord,
  SourceTask,
  SourceTaskContext,
} from '@sluice/connect-api';
import { CLIENT_FIELDS, clientIssues, clientSettings, topicPairs } from './config.ts';
import { type KafkaClientSettings, KafkaReader, type PartitionRef } from './kafka-client.ts';
import { explainKafkaFailure } from './kafka-errors.ts';
import { badHeaders, kafkaToSource, type LoopGuard } from './mapping.ts';
import { partitionOwner } from './partition-owner.ts';

const PAIRS = { list: 'kafka.topics', from: 'kafka.topic', to: 'rocketmq.topic' };

/**
 * Bytes one fetch asks for. Records point into their fetch response, so a response stays in memory
 * until its last record is sent: 1 MiB (was 4) cut peak RSS and CPU per record at full speed
 * (docs/benchmarks.md, round 2), with ~1,000 records of 1 KiB per fetch still.
 */
export const DEFAULT_FETCH_MAX_BYTES = 1024 * 1024;

export const KAFKA_SOURCE_SPEC: ConfigSpec = {
  fields: [
    ...CLIENT_FIELDS,
    {
      name: 'kafka.topics',
      type: 'list',
      doc: 'Kafka topics to read, comma-separated; each goes to the RocketMQ topic of the same name (the seed’s key)',
    },
    { name: 'kafka.topic', type: 'string', doc: 'one Kafka topic to read (with rocketmq.topic)' },
    { name: 'rocketmq.topic', type: 'string', doc: 'the RocketMQ topic kafka.topic goes to' },
    {
      name: 'kafka.group.id',
      type: 'string',
      doc: 'Kafka consumer group this connector reads as (default connector-consumer-group-<connector>)',
    },
    {
      name: 'kafka.offset.reset',
      type: 'string',
      default: 'earliest',
      oneOf: ['earliest', 'latest'],
      doc: 'where a partition without a stored position starts (and where an out-of-range one restarts)',
    },
    {
      name: 'rocketmq.tags',
      type: 'string',
      doc: 'tag of every message written (a rocketmq.tags header overrides it)',
    },
    {
      name: 'kafka.fetch.max.bytes',
      type: 'int',
      default: String(DEFAULT_FETCH_MAX_BYTES),
      min: 1024,
      max: 268435456,
      doc: 'most bytes one fetch returns (records keep their whole fetch response in memory until sent)',
    },
    {
      name: 'kafka.fetch.max.wait.ms',
      type: 'int',
      default: '500',
      min: 1,
      max: 10000,
      doc: 'how long a fetch waits for data',
    },
    {
      name: 'kafka.partition.discovery.ms',
      type: 'int',
      default: '30000',
      min: 1000,
      max: 3600000,
      doc: 'how often a task looks for new partitions of its topics',
    },
  ],
  identifyingKeys: ['kafka.topics', 'kafka.bootstrap.server'],
};

/**
 * Kafka → RocketMQ. Tasks share the partitions of the topics (see partitionOwner: a partition
 * stays with its task when partitions are added); positions live in the runtime's position store, so a restart or a
 * move to another worker resumes right after the last record RocketMQ acknowledged.
 */
export class KafkaSourceConnector implements SourceConnector {
  readonly kind = 'source';
  readonly configSpec = KAFKA_SOURCE_SPEC;
  #config: ConnectorConfig = {};
  #name = '';

  validate(config: ConnectorConfig): ConfigIssue[] {
    return [...topicPairs(config, PAIRS).issues, ...clientIssues(config)];
  }

  start(config: ConnectorConfig, ctx: ConnectorContext): void {
    this.#config = config;
    this.#name = ctx.name;
  }

  taskConfigs(maxTasks: number): ConnectorConfig[] {
    const n = Math.max(1, maxTasks);
    return Array.from({ length: n }, (_, i) => ({
      ...this.#config,
      'kafka.group.id': this.#config['kafka.group.id'] || `connector-consumer-group-${this.#name}`,
      'task.index': String(i),
      'task.count': String(n),
    }));
  }

  stop(): void {}

  createTask(): SourceTask {
    return new KafkaSourceTask();
  }
}

const key = (p: PartitionRef) => `${p.topic}:${p.partition}`;

export class KafkaSourceTask implements SourceTask {
  #reader: KafkaReader | undefined;
  #settings: KafkaClientSettings | undefined;
  #ctx: SourceTaskContext | undefined;
  #logger: Logger | undefined;
  #to = new Map<string, string>();
  #loop: LoopGuard = { enabled: true, marker: 'by_connector' };
  #tags: string | undefined;
  #reset: 'earliest' | 'latest' = 'earliest';
  #index = 0;
  #count = 1;
  /** Next offset to fetch, per owned partition. */
  readonly #next = new Map<string, { ref: PartitionRef; offset: bigint }>();
  #maxWaitMs = 500;
  #maxBytes = DEFAULT_FETCH_MAX_BYTES;
  #discoveryMs = 30_000;
  #lastDiscovery = 0;
  /** Each partition's high watermark as the last fetch saw it, for `lag`. */
  readonly #ends = new Map<string, bigint>();

  async start(config: ConnectorConfig, ctx: SourceTaskContext): Promise<void> {
    this.#ctx = ctx;
    this.#logger = ctx.logger;
    for (const [from, to] of topicPairs(config, PAIRS).pairs) this.#to.set(from, to);
    this.#loop = {
      enabled: config['loop.prevention'] !== 'false',
      marker: config['loop.marker'] || 'by_connector',
    };
    this.#tags = config['rocketmq.tags'] || undefined;
    this.#reset = config['kafka.offset.reset'] === 'latest' ? 'latest' : 'earliest';
    this.#index = Number(config['task.index'] ?? '0');
    this.#count = Number(config['task.count'] ?? '1');
    this.#maxWaitMs = Number(config['kafka.fetch.max.wait.ms'] ?? '500');
    this.#maxBytes = Number(config['kafka.fetch.max.bytes'] ?? String(DEFAULT_FETCH_MAX_BYTES));
    this.#discoveryMs = Number(config['kafka.partition.discovery.ms'] ?? '30000');
    this.#settings = clientSettings(config, `sluice-${ctx.connector}-${ctx.taskId}`);
    this.#reader = new KafkaReader(
      this.#settings,
      config['kafka.group.id'] || `connector-consumer-group-${ctx.connector}`,
    );
    // No call to Kafka here: the first poll discovers the partitions. A task that starts while
    // Kafka is away (a broker restarting) then waits in poll's retriable path instead of failing.
  }

  /**
   * Takes this task's share of the partitions: new ones start where their stored position (or
   * the reset policy) says; ones that are gone or no longer its own are dropped.
   */
  async #discover(): Promise<void> {
    this.#lastDiscovery = Date.now();
    const all = await this.#reader!.partitions([...this.#to.keys()]);
    const owned = all.filter((p) => partitionOwner(p.topic, p.partition, this.#count) === this.#index);
    const keep = new Set(owned.map(key));
    for (const k of [...this.#next.keys()]) if (!keep.has(k)) this.#next.delete(k);
    const mine = owned.filter((p) => !this.#next.has(key(p)));
    if (mine.length === 0) return;
    const missing: PartitionRef[] = [];
    for (const p of mine) {
      const stored = await this.#ctx!.position({ topic: p.topic, partition: p.partition });
      if (stored && typeof stored.offset === 'number')
        this.#next.set(key(p), { ref: p, offset: BigInt(stored.offset) });
      else missing.push(p);
    }
    if (missing.length > 0) {
      const start = await this.#reader!.offsets(missing, this.#reset);
      for (const p of missing) this.#next.set(key(p), { ref: p, offset: start.get(key(p)) ?? 0n });
    }
    this.#logger?.info('kafka partitions assigned', { partitions: mine.map(key) });
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    try {
      return await this.#fetch(signal);
    } catch (err) {
      // Kafka being away (a broker restarting, a leader moving) is passing: marked retriable, the
      // runtime polls again after a backoff. A bad setting or argument is not, and fails the task.
      const { message, retriable } = await explainKafkaFailure('Kafka fetch failed', err, this.#settings!);
      throw Object.assign(new Error(message, { cause: err }), { retriable });
    }
  }

  async #fetch(signal: AbortSignal): Promise<SourceRecord[]> {
    if (Date.now() - this.#lastDiscovery > this.#discoveryMs) await this.#discover();
    if (this.#next.size === 0) {
      // More tasks than partitions: this one idles until discovery finds work.
      await new Promise((r) => setTimeout(r, Math.min(1000, this.#maxWaitMs)));
      return [];
    }
    if (signal.aborted) return [];
    const { records, outOfRange, ends } = await this.#reader!.fetch(this.#next, {
      maxWaitMs: this.#maxWaitMs,
      maxBytes: this.#maxBytes,
    });
    for (const [k, end] of ends) this.#ends.set(k, end);
    if (outOfRange.length > 0) {
      const restart = await this.#reader!.offsets(outOfRange, this.#reset);
      for (const p of outOfRange) {
        const to = restart.get(key(p)) ?? 0n;
        this.#logger?.warn('kafka offset out of range; moving on', {
          partition: key(p),
          from: String(this.#next.get(key(p))?.offset),
          to: String(to),
        });
        this.#next.set(key(p), { ref: p, offset: to });
      }
    }
    const out: SourceRecord[] = [];
    for (const r of records) {
      const next = this.#next.get(`${r.topic}:${r.partition}`);
      if (!next || r.offset < next.offset) continue;
      const mapped = kafkaToSource(r, this.#to.get(r.topic)!, this.#loop, this.#tags, next.ref);
      const bad = mapped && badHeaders(r);
      if (bad) {
        // A report made during a poll counts as read before what the poll returns: so a bad
        // record waits for the next poll when good ones come before it (fetched again from it).
        if (out.length > 0) break;
        void this.#ctx!.reportBadRecord(mapped, bad);
      } else if (mapped) out.push(mapped);
      next.offset = r.offset + 1n;
    }
    return out;
  }

  /** Per owned partition (`topic-partition`): its high watermark − the next offset to read. */
  lag(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    for (const [k, { ref, offset }] of this.#next) {
      const end = this.#ends.get(k);
      if (end !== undefined) out.set(`${ref.topic}-${ref.partition}`, Math.max(0, Number(end - offset)));
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.#reader?.close();
  }
}
