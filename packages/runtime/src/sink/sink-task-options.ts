import type { ConnectorConfig, Logger, SinkTask } from '@sluice/connect-api';
import type { MessageQueue, Producer, PullConsumer } from '@sluice/rocketmq';
import type { ErrantStats } from '../errant/errant-records.ts';
import type { ErrorPolicy } from '../errant/policy.ts';
import type { TaskMetrics } from '../metrics/task-metrics.ts';
import type { OffsetStore } from '../stores/offset-store.ts';
import type { SinkLimits } from './limits.ts';

/** What a sink task runner is given: its task, its queues and their consumer, its stores. */
export interface SinkTaskRunnerOptions {
  connector: string;
  taskId: number;
  task: SinkTask;
  config: ConnectorConfig;
  consumer: PullConsumer;
  /** The consumer group whose offsets this task keeps. */
  group: string;
  queues: readonly MessageQueue[];
  offsets: OffsetStore;
  logger: Logger;
  limits?: Partial<SinkLimits>;
  /**
   * The writer fence, asked before every `put`: in a cluster, whether this worker still holds
   * its lease. While it says no, nothing is handed to the task (it is about to be stopped).
   */
  mayWrite?: () => boolean;
  /** Who writes, for the task's context (undefined: the worker's ownerHeaders is off). */
  ownerHeaders?: Readonly<Record<string, string>>;
  /** What to do with bad records (the connector's errors.* keys; default: fail the task). */
  errors?: ErrorPolicy;
  /** Writes dead-letter messages (the worker's producer). */
  producer: Producer;
  /** The connector's class name, for dead-letter context. */
  connectorClass?: string;
  /** Bad-record counts of the task's earlier runners, to go on with. */
  errantStats?: ErrantStats;
  /** Where the task's counts and timings go (default: nowhere). */
  metrics?: TaskMetrics;
}
