import type { MessageQueue } from '@sluice/rocketmq';
import { queueKey } from '@sluice/rocketmq';
import { type TaskMetrics, timedCommit } from '../metrics/task-metrics.ts';
import type { SinkTaskRunnerOptions } from './sink-task-options.ts';

/** Where a task starts on a queue: the stored offset, else the group's in the broker, else the first. */
export async function startOffset(
  o: Pick<SinkTaskRunnerOptions, 'offsets' | 'group' | 'consumer'>,
  q: MessageQueue,
): Promise<bigint> {
  const stored = o.offsets.get(o.group, q);
  if (stored !== undefined) return stored;
  const committed = await o.consumer.committedOffset(q).catch(() => undefined);
  return committed ?? (await o.consumer.minOffset(q));
}

/**
 * One commit of a sink task: `flush` and `preCommit` (the task may lower the offsets), then the
 * offsets are stored. Returns what was stored; nothing when the store is away (broker
 * restarting, lease lost): the delivered offsets stay in memory and go with the next commit. A
 * failing flush, by contrast, throws and fails the task.
 */
export async function storeOffsets(
  o: Pick<SinkTaskRunnerOptions, 'task' | 'offsets' | 'group' | 'consumer' | 'queues' | 'logger'> & {
    connector: string;
    taskId: number;
  },
  delivered: ReadonlyMap<string, bigint>,
  metrics: TaskMetrics,
  call: <T>(what: string, fn: () => T | Promise<T>) => Promise<T>,
): Promise<ReadonlyMap<MessageQueue, bigint>> {
  const { task, offsets, group, consumer } = o;
  let toStore = delivered;
  await call('flush', () => task.flush?.(toStore));
  if (task.preCommit) toStore = await call('preCommit', () => task.preCommit!(toStore));
  const byQueue = new Map<MessageQueue, bigint>();
  for (const q of o.queues) {
    const offset = toStore.get(queueKey(q));
    if (offset !== undefined) byQueue.set(q, offset);
  }
  try {
    await timedCommit(metrics, () => offsets.advance(group, byQueue));
  } catch (err) {
    o.logger.warn('storing sink offsets failed; will retry', {
      connector: o.connector,
      task: o.taskId,
      error: String(err),
    });
    return new Map();
  }
  // The broker's copy is for tools (consumer progress); the local store is authoritative.
  await Promise.all([...byQueue].map(([q, offset]) => consumer.commitOffset(q, offset).catch(() => {})));
  return byQueue;
}
