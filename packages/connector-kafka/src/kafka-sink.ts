import type {
  ConfigIssue,
  ConfigSpec,
  ConnectorConfig,
  SinkConnector,
  SinkRecord,
  SinkTask,
  SinkTaskContext,
} from '@sluice/connect-api';
import { CLIENT_FIELDS, clientIssues, clientSettings, topicPairs } from './config.ts';
import { type KafkaClientSettings, KafkaWriter, type OutgoingKafkaRecord } from './kafka-client.ts';
import { explainKafkaFailure } from './kafka-errors.ts';
import { type LoopGuard, sinkToKafka } from './mapping.ts';

const PAIRS = { list: 'topicNames', from: 'rocketmq.topic', to: 'kafka.topic' };

export const KAFKA_SINK_SPEC: ConfigSpec = {
  fields: [
    ...CLIENT_FIELDS,
    {
      name: 'topicNames',
      type: 'list',
      doc: 'RocketMQ topics to read, comma-separated; each goes to the Kafka topic of the same name (the seed’s key)',
    },
    { name: 'rocketmq.topic', type: 'string', doc: 'one RocketMQ topic to read (with kafka.topic)' },
    { name: 'kafka.topic', type: 'string', doc: 'the Kafka topic rocketmq.topic goes to' },
    {
      name: 'kafka.compression',
      type: 'string',
      default: 'none',
      oneOf: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
      doc: 'compression of the batches sent to Kafka',
    },
  ],
  identifyingKeys: ['topicNames', 'kafka.bootstrap.server'],
};

/**
 * RocketMQ → Kafka. The runtime spreads the queues of the topics over the tasks and stores a
 * queue's offset only after `put` resolved, and `put` resolves only once Kafka acknowledged
 * every record (acks=all, idempotent producer): at least once, never a gap.
 */
export class KafkaSinkConnector implements SinkConnector {
  readonly kind = 'sink';
  readonly configSpec = KAFKA_SINK_SPEC;
  #config: ConnectorConfig = {};

  validate(config: ConnectorConfig): ConfigIssue[] {
    return [...topicPairs(config, PAIRS).issues, ...clientIssues(config)];
  }

  topics(config: ConnectorConfig): string[] {
    return topicPairs(config, PAIRS).pairs.map(([from]) => from);
  }

  start(config: ConnectorConfig): void {
    this.#config = config;
  }

  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.#config }));
  }

  stop(): void {}

  createTask(): SinkTask {
    return new KafkaSinkTask();
  }
}

export class KafkaSinkTask implements SinkTask {
  /**
   * Overlapping puts keep the producer's pipe full: the idempotent producer sends one request
   * per broker connection at a time, in call order, so a partition's records stay in order.
   */
  readonly maxConcurrentPuts = 16;
  #writer: KafkaWriter | undefined;
  #settings: KafkaClientSettings | undefined;
  #to = new Map<string, string>();
  #loop: LoopGuard = { enabled: true, marker: 'by_connector' };
  #owner: Readonly<Record<string, string>> | undefined;

  start(config: ConnectorConfig, ctx: SinkTaskContext): void {
    for (const [from, to] of topicPairs(config, PAIRS).pairs) this.#to.set(from, to);
    this.#owner = ctx.ownerHeaders;
    this.#loop = {
      enabled: config['loop.prevention'] !== 'false',
      marker: config['loop.marker'] || 'by_connector',
    };
    this.#settings = clientSettings(config, `sluice-${ctx.connector}-${ctx.taskId}`);
    this.#writer = new KafkaWriter(this.#settings, {
      compression: (config['kafka.compression'] ?? 'none') as 'none',
    });
  }

  async put(records: SinkRecord[]): Promise<void> {
    const out: OutgoingKafkaRecord[] = [];
    for (const r of records) {
      const to = this.#to.get(r.topic);
      if (!to) continue;
      const mapped = sinkToKafka(r, to, this.#loop, this.#owner);
      if (mapped) out.push(mapped);
    }
    try {
      await this.#writer!.send(out);
    } catch (err) {
      // Kafka being away is worth retrying (the runtime keeps the batch and backs off); a bad
      // record or setting is not, and fails the task with the root cause.
      const { message, retriable } = await explainKafkaFailure(
        'Kafka refused the batch',
        err,
        this.#settings!,
      );
      throw Object.assign(new Error(message, { cause: err }), { retriable });
    }
  }

  async stop(): Promise<void> {
    await this.#writer?.close();
  }
}
