import type { Connector, ConnectorConfig, Logger } from '@sluice/connect-api';
import { Admin, type ClientOptions, type Producer } from '@sluice/rocketmq';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { OffsetStore } from '../stores/offset-store.ts';
import type { PositionStore } from '../stores/position-store.ts';

/** The RocketMQ client settings of a worker (credentials only with aclEnable). */
export function clientOptions(c: WorkerConfig): ClientOptions {
  return {
    namesrvAddr: c.namesrvAddr,
    ...(c.aclEnable && c.accessKey && c.secretKey
      ? { credentials: { accessKey: c.accessKey, secretKey: c.secretKey } }
      : {}),
  };
}

/** The consumer group of a sink connector: one per connector, named from the seed's group. */
export function sinkGroup(connector: string): string {
  return `connector-consumer-group-${connector}`;
}

/** The RocketMQ topics a sink reads: its own answer, else the `topics` key. */
export function sinkTopics(connector: Connector, config: ConnectorConfig): string[] {
  if (connector.kind === 'sink' && connector.topics) return connector.topics(config);
  return (config.topics ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** The producer group of a worker's source tasks. */
export function producerGroup(workerId: string): string {
  return `connector-producer-${workerId}`;
}

/** The seed's autoCreateGroupEnable: a sink's group is created with an admin call. */
export async function createGroup(client: ClientOptions, group: string): Promise<void> {
  const admin = new Admin(client);
  try {
    await admin.createSubscriptionGroup({ groupName: group });
  } finally {
    admin.close();
  }
}

export interface ConnectorRuntimeDeps {
  client: ClientOptions;
  /** Creates the sink's consumer group with an admin call (the seed's autoCreateGroupEnable). */
  createGroup?: (group: string) => Promise<void>;
  producer: Producer;
  positions: PositionStore;
  offsets: OffsetStore;
  logger: Logger;
  callTimeoutMs: number;
  commitIntervalMs: number;
  /** How often running tasks read their topics' routes again (default 30 s). */
  routeRefreshMs?: number;
  /** In a cluster: the task indexes this worker runs (default: all). */
  ownedTasks?: ReadonlySet<number>;
  /** In a cluster: the writer fence every task asks before it sends (this worker's lease). */
  mayWrite?: () => boolean;
  /** Who runs the tasks, for their owner headers; undefined when the worker's ownerHeaders is off. */
  owner?: { worker: string; epoch: bigint };
  /** Where tasks' counts and timings go (none: not recorded). */
  metrics?: WorkerMetrics;
}

/** What a connector runtime needs from the worker, the same in both modes. */
export function runtimeDeps(
  config: WorkerConfig,
  parts: Pick<
    ConnectorRuntimeDeps,
    'producer' | 'positions' | 'offsets' | 'logger' | 'ownedTasks' | 'mayWrite' | 'metrics'
  > & { epoch?: bigint },
): ConnectorRuntimeDeps {
  const client = clientOptions(config);
  const { epoch, ...rest } = parts;
  return {
    ...rest,
    ...(config.ownerHeaders ? { owner: { worker: config.workerId, epoch: epoch ?? 0n } } : {}),
    client,
    ...(config.autoCreateGroupEnable ? { createGroup: (g: string) => createGroup(client, g) } : {}),
    callTimeoutMs: config.connectorCallTimeoutMs,
    routeRefreshMs: config.routeRefreshMs,
    commitIntervalMs: config.offsetCommitIntervalMs,
  };
}
