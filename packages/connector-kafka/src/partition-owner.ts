// Which source task reads which Kafka partition. Every task decides alone from the same inputs,
// so the rule must give each partition exactly one task, and must not move a partition when
// partitions are added elsewhere: the old rule (sorted pairs, pair i to task i mod n) shifted
// every later topic's partitions when one topic grew, and for a moment two tasks read one.

/** FNV-1a of the topic name: a stable start task per topic, the same in every process. */
function topicStart(topic: string, tasks: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) {
    h ^= topic.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % tasks;
}

/** The task (0 … tasks-1) that owns partition `partition` of `topic`. */
export function partitionOwner(topic: string, partition: number, tasks: number): number {
  const n = Math.max(1, tasks);
  return (topicStart(topic, n) + partition) % n;
}
