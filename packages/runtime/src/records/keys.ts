import type { SourcePartition } from '@sluice/connect-api';
import { type MessageQueue, queueKey } from '@sluice/rocketmq';

// The text keys the stores use, encode and decode side by side: a source partition (an object
// of the connector's) and a RocketMQ queue.

/** Stable text form of a partition, for map keys and stores (keys sorted, so order never matters). */
export function partitionKey(partition: SourcePartition): string {
  return JSON.stringify(
    Object.keys(partition)
      .sort()
      .map((k) => [k, partition[k]]),
  );
}

/** The partition a `partitionKey` was made from. */
export function decodePartitionKey(key: string): SourcePartition {
  return Object.fromEntries(JSON.parse(key) as [string, string | number][]);
}

/** `topic@broker#queueId`, as @sluice/rocketmq spells a queue. */
export { queueKey };

/** The queue a `queueKey` names: topics cannot hold '@', and queue ids are digits. */
export function decodeQueueKey(key: string): MessageQueue {
  const at = key.indexOf('@');
  const hash = key.lastIndexOf('#');
  return {
    topic: key.slice(0, at),
    brokerName: key.slice(at + 1, hash),
    queueId: Number(key.slice(hash + 1)),
  };
}
