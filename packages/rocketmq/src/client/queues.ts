import type { TopicRouteData } from '../requests/get-route-info.ts';
import { Perm } from '../requests/update-and-create-topic.ts';

/** One queue of a topic on one broker. */
export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

export function queueKey(q: MessageQueue): string {
  return `${q.topic}@${q.brokerName}#${q.queueId}`;
}

/** Java's order: topic, then broker name (UTF-16 order, as JS compares), then queue id. */
export function compareQueues(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

function hasMaster(route: TopicRouteData, brokerName: string): boolean {
  return route.brokerDatas.some((b) => b.brokerName === brokerName && b.brokerAddrs['0'] !== undefined);
}

/** Queues a producer may write: writable queue data of brokers with a master (spec §7.1). */
export function publishQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  if (route.orderTopicConf) {
    for (const part of route.orderTopicConf.split(';')) {
      const [brokerName, n] = part.split(':');
      if (!brokerName) continue;
      for (let i = 0; i < Number(n); i++) out.push({ topic, brokerName, queueId: i });
    }
    return out;
  }
  const datas = [...route.queueDatas].sort((a, b) =>
    a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0,
  );
  for (const q of datas) {
    if ((q.perm & Perm.WRITE) === 0 || !hasMaster(route, q.brokerName)) continue;
    for (let i = 0; i < q.writeQueueNums; i++) out.push({ topic, brokerName: q.brokerName, queueId: i });
  }
  return out;
}

/** Queues a consumer may read: readable queue data (spec §8.2), in Java's sort order. */
export function subscribeQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const q of route.queueDatas) {
    if ((q.perm & Perm.READ) === 0) continue;
    for (let i = 0; i < q.readQueueNums; i++) out.push({ topic, brokerName: q.brokerName, queueId: i });
  }
  return out.sort(compareQueues);
}

/**
 * AllocateMessageQueueAveragely (spec §8.3): consumer `index` of `count` takes a contiguous
 * slice; the first `n % count` consumers take one more. Both lists must be sorted the same way
 * on every consumer.
 */
export function allocateAveragely<T>(all: readonly T[], count: number, index: number): T[] {
  if (index < 0 || index >= count || all.length === 0) return [];
  const n = all.length;
  const mod = n % count;
  const size = n <= count ? 1 : mod > 0 && index < mod ? Math.floor(n / count) + 1 : Math.floor(n / count);
  const start = mod > 0 && index < mod ? index * size : index * size + mod;
  const take = Math.min(size, n - start);
  return take > 0 ? all.slice(start, start + take) : [];
}
