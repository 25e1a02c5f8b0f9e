import { compareQueues, type MessageQueue, type PullConsumer, queueKey } from '@sluice/rocketmq';
import type { OffsetStore } from '../stores/offset-store.ts';
import { retryBroker } from './broker-retry.ts';

/**
 * The queues a sink connector reads, split among its tasks. A route only tells what the
 * brokers registered now: while a master is away its queues are missing from it. So the set
 * is what the routes listed at any time, plus every queue the connector has a stored offset
 * for, and it never shrinks while the connector runs — tasks never rebalance onto a partial
 * set, and a master that comes back finds its queues still owned. Queues added to a topic
 * make the set grow, and the connector's tasks are redealt over it.
 */
export class SinkQueues {
  readonly #topics: readonly string[];
  readonly #offsets: OffsetStore;
  readonly #group: string;
  readonly #known = new Map<string, MessageQueue>();
  /** The set the tasks were dealt last. */
  #dealt: MessageQueue[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(topics: readonly string[], offsets: OffsetStore, group: string) {
    this.#topics = topics;
    this.#offsets = offsets;
    this.#group = group;
  }

  /**
   * The set as of now, sorted. `first`: the start of the connector, which waits a little for a
   * route (a topic that does not exist looks the same as one whose broker is not back yet, so a
   * sink of a missing topic still fails soon, with the broker's reason); later reads keep the
   * set as it was when a route cannot be read.
   */
  async read(consumer: PullConsumer, first: boolean): Promise<MessageQueue[]> {
    for (const topic of this.#topics) {
      let queues: MessageQueue[] = [];
      try {
        queues = first
          ? await retryBroker(() => consumer.queues(topic), { forMs: 15_000 })
          : await consumer.queues(topic);
      } catch (err) {
        if (first) throw err;
      }
      for (const q of queues) this.#known.set(queueKey(q), q);
    }
    const topics = new Set(this.#topics);
    for (const { queue } of this.#offsets.list(this.#group))
      if (topics.has(queue.topic)) this.#known.set(queueKey(queue), queue);
    const set = [...this.#known.values()].sort(compareQueues);
    if (first) this.#dealt = set;
    return set;
  }

  /** Reads the set again every `everyMs`; `grew` hears of a set that is not the one dealt. */
  watch(
    consumer: () => PullConsumer | undefined,
    everyMs: number,
    grew: (set: MessageQueue[]) => void,
  ): void {
    this.#timer ??= setInterval(async () => {
      const c = consumer();
      if (!c) return;
      const now = await this.read(c, false);
      if (sameQueues(now, this.#dealt)) return;
      this.#dealt = now;
      grew(now);
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Whether two sorted queue sets differ. */
export function sameQueues(a: readonly MessageQueue[], b: readonly MessageQueue[]): boolean {
  return a.length === b.length && a.every((q, i) => queueKey(q) === queueKey(b[i]!));
}
