import type { Brokers, KafkaConnectWorker } from '@sluice/testkit';
import {
  startWorkerProcess,
  type WorkerProcess,
} from '../../packages/runtime/test/cluster/worker-process.ts';
import type { RestWorker } from '../e2e/through-worker.ts';

// The two runtimes of the side-by-side bench behind one shape: start a worker (the first one of
// a cluster, or one that joins it), kill it, and the connector configs of the same jobs.

/** One worker of either runtime. */
export interface BenchWorker extends RestWorker {
  /** What its status route names it as (`worker_id`). */
  id: string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface Runtime {
  name: 'Sluice' | 'Kafka Connect';
  /** A worker of this runtime's one cluster (the first call makes the cluster). */
  start(): Promise<BenchWorker>;
  /** The FileStreamSource config that tails `file` into `topic` of the runtime's broker. */
  source(file: string, topic: string): Record<string, string>;
  /** The FileStreamSink config that appends `topic` of the runtime's broker to `file`. */
  sink(topic: string, file: string): Record<string, string>;
  /** Kills whatever worker still runs (a bench that failed half-way). */
  close(): Promise<void>;
}

// Kafka Connect's own class names: Sluice takes them as aliases of its file connectors.
const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

/**
 * What `connect-distributed.sh` gives a worker (kafka-run-class.sh: KAFKA_HEAP_OPTS and
 * KAFKA_JVM_PERFORMANCE_OPTS), so that Kafka Connect runs as its users run it.
 */
const KAFKA_CONNECT_JVM = [
  '-Xms256M',
  '-Xmx2G',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

/**
 * Kafka Connect distributed workers on the test kit's Kafka, with the JVM flags of its scripts
 * and its default settings: the kit's test-only `offset.flush.interval.ms` goes back to 60 s.
 * `rebalanceDelayMs` sets `scheduled.rebalance.max.delay.ms` (undefined: the default, 5 min).
 */
export function kafkaConnect(brokers: Brokers, rebalanceDelayMs?: number): Runtime {
  let groupId: string | undefined;
  const converters = {
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  };
  return {
    name: 'Kafka Connect',
    async start() {
      const w: KafkaConnectWorker = await brokers.startConnect({
        jvmArgs: KAFKA_CONNECT_JVM,
        startTimeoutMs: 180_000,
        ...(groupId ? { groupId } : {}),
        config: {
          'offset.flush.interval.ms': 60_000,
          ...(rebalanceDelayMs === undefined ? {} : { 'scheduled.rebalance.max.delay.ms': rebalanceDelayMs }),
        },
      });
      groupId ??= w.groupId;
      return {
        id: new URL(w.url).host,
        url: w.url,
        pid: w.pid!,
        kill: () => w.kill(),
        stop: () => w.stop(),
      };
    },
    source: (file, topic) => ({
      'connector.class': FILE_SOURCE,
      'tasks.max': '1',
      file,
      topic,
      ...converters,
    }),
    sink: (topic, file) => ({
      'connector.class': FILE_SINK,
      'tasks.max': '1',
      topics: topic,
      file,
      ...converters,
    }),
    // Brokers.stop() stops the Kafka Connect workers it started.
    close: async () => {},
  };
}

/**
 * `sluice worker` processes (the compiled CLI) on the test kit's RocketMQ, with the default
 * settings: the test helper's short commit, heartbeat and member timeouts go back to theirs.
 */
export function sluice(brokers: Brokers, dir: string): Runtime {
  let n = 0;
  const live = new Set<WorkerProcess>();
  return {
    name: 'Sluice',
    async start() {
      const w: WorkerProcess = await startWorkerProcess({
        dir,
        namesrvAddr: brokers.rocketmq!.namesrvAddr,
        workerId: `bench-${++n}`,
        built: true,
        settings: { offsetCommitIntervalMs: '5000', heartbeatIntervalMs: '2000', memberTimeoutMs: '10000' },
      });
      live.add(w);
      const exit = async (signal: NodeJS.Signals) => {
        w.process.kill(signal);
        await w.exited;
        live.delete(w);
      };
      return {
        id: w.workerId,
        url: w.url,
        pid: w.process.pid!,
        kill: () => exit('SIGKILL'),
        stop: () => exit('SIGTERM'),
      };
    },
    source: (file, topic) => ({ 'connector.class': FILE_SOURCE, file, topic }),
    sink: (topic, file) => ({ 'connector.class': FILE_SINK, topics: topic, file }),
    close: async () => {
      for (const w of live) w.process.kill('SIGKILL');
      await Promise.all([...live].map((w) => w.exited));
    },
  };
}
