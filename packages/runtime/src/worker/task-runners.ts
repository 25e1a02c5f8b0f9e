import type { ConnectorConfig, SinkTask, SourceTask } from '@sluice/connect-api';
import type { MessageQueue, PullConsumer } from '@sluice/rocketmq';
import { ownerHeaders } from '../records/owner-headers.ts';
import { SinkTaskRunner } from '../sink/sink-task-runner.ts';
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

export function sourceRunner(
  connector: string,
  deps: ConnectorRuntimeDeps,
  id: number,
  config: ConnectorConfig,
  task: SourceTask,
): SourceTaskRunner {
  const { producer, positions, logger, callTimeoutMs, commitIntervalMs, mayWrite } = deps;
  const owner = ownerOf(connector, deps, id);
  return new SourceTaskRunner({
    connector,
    taskId: id,
    task,
    config,
    producer,
    positions,
    logger,
    limits: { callTimeoutMs, commitIntervalMs },
    ...(mayWrite ? { mayWrite } : {}),
    ...(owner ? { ownerHeaders: owner } : {}),
  });
}

export function sinkRunner(
  connector: string,
  deps: ConnectorRuntimeDeps,
  t: {
    id: number;
    config: ConnectorConfig;
    task: SinkTask;
    queues: readonly MessageQueue[];
    consumer: PullConsumer;
  },
): SinkTaskRunner {
  const { offsets, logger, callTimeoutMs, commitIntervalMs, mayWrite } = deps;
  const owner = ownerOf(connector, deps, t.id);
  return new SinkTaskRunner({
    connector,
    taskId: t.id,
    task: t.task,
    config: t.config,
    consumer: t.consumer,
    group: sinkGroup(connector),
    queues: t.queues,
    offsets,
    logger,
    limits: { callTimeoutMs, commitIntervalMs },
    ...(mayWrite ? { mayWrite } : {}),
    ...(owner ? { ownerHeaders: owner } : {}),
  });
}
