import type { Connector, ConnectorConfig, SinkTask, SourceTask } from '@sluice/connect-api';
import type { MessageQueue, PullConsumer } from '@sluice/rocketmq';
import type { ErrantStats } from '../errant/errant-records.ts';
import type { ErrorPolicy } from '../errant/policy.ts';
import { ownerHeaders } from '../records/owner-headers.ts';
import type { SinkLimits } from '../sink/limits.ts';
import { SinkTaskRunner } from '../sink/sink-task-runner.ts';
import type { SourceLimits } from '../source/limits.ts';
import type { OrderPolicy } from '../source/outbox.ts';
import { SourceTaskRunner } from '../source/source-task-runner.ts';
import { type ConnectorRuntimeDeps, sinkGroup } from './runtime-deps.ts';

// The runner of one task of a connector, from what the worker gave the connector's runtime.

function ownerOf(
  connector: string,
  deps: ConnectorRuntimeDeps,
  task: number,
): Record<string, string> | undefined {
  return deps.owner && ownerHeaders({ connector, task, ...deps.owner });
}

/** What the connector's own config says about its tasks' bad records and order. */
export interface RunnerPolicy {
  errors: ErrorPolicy;
  connectorClass: string;
  kind: 'source' | 'sink';
  order: OrderPolicy;
  /** The connector's source.* and sink.* limit keys. */
  limits: { source: Partial<SourceLimits>; sink: Partial<SinkLimits> };
  /** A task's bad-record counts, kept across its restarts. */
  statsOf: (task: number) => ErrantStats;
}

/** The runner of task `t.id`; a sink's reads `t.sink.queues` with `t.sink.consumer`. */
export function taskRunner(
  connector: Connector,
  name: string,
  deps: ConnectorRuntimeDeps,
  policy: RunnerPolicy,
  t: {
    id: number;
    config: ConnectorConfig;
    sink?: { queues: readonly MessageQueue[]; consumer: PullConsumer } | undefined;
  },
): SourceTaskRunner | SinkTaskRunner {
  const { id, config } = t;
  if (connector.kind === 'source')
    return sourceRunner(name, deps, policy, { id, config, task: connector.createTask() });
  return sinkRunner(name, deps, policy, { id, config, task: connector.createTask(), ...t.sink! });
}

function runnerPolicy(policy: RunnerPolicy, deps: ConnectorRuntimeDeps, id: number, connector: string) {
  return {
    ...(deps.metrics ? { metrics: deps.metrics.forTask(connector, id, policy.kind) } : {}),
    errors: policy.errors,
    connectorClass: policy.connectorClass,
    errantStats: policy.statsOf(id),
    ...(deps.routeRefreshMs ? { routeRefreshMs: deps.routeRefreshMs } : {}),
  };
}

export function sourceRunner(
  connector: string,
  deps: ConnectorRuntimeDeps,
  policy: RunnerPolicy,
  t: { id: number; config: ConnectorConfig; task: SourceTask },
): SourceTaskRunner {
  const { producer, positions, logger, callTimeoutMs, commitIntervalMs, mayWrite } = deps;
  const { id, config, task } = t;
  const owner = ownerOf(connector, deps, id);
  return new SourceTaskRunner({
    ...runnerPolicy(policy, deps, id, connector),
    order: policy.order,
    connector,
    taskId: id,
    task,
    config,
    producer,
    positions,
    logger,
    limits: { ...policy.limits.source, callTimeoutMs, commitIntervalMs },
    ...(mayWrite ? { mayWrite } : {}),
    ...(owner ? { ownerHeaders: owner } : {}),
  });
}

export function sinkRunner(
  connector: string,
  deps: ConnectorRuntimeDeps,
  policy: RunnerPolicy,
  t: {
    id: number;
    config: ConnectorConfig;
    task: SinkTask;
    queues: readonly MessageQueue[];
    consumer: PullConsumer;
  },
): SinkTaskRunner {
  const { offsets, logger, callTimeoutMs, commitIntervalMs, mayWrite, producer } = deps;
  const owner = ownerOf(connector, deps, t.id);
  return new SinkTaskRunner({
    ...runnerPolicy(policy, deps, t.id, connector),
    producer,
    connector,
    taskId: t.id,
    task: t.task,
    config: t.config,
    consumer: t.consumer,
    group: sinkGroup(connector),
    queues: t.queues,
    offsets,
    logger,
    limits: { ...policy.limits.sink, callTimeoutMs, commitIntervalMs },
    ...(mayWrite ? { mayWrite } : {}),
    ...(owner ? { ownerHeaders: owner } : {}),
  });
}
