import type { Logger, SourceRecord, SourceTask } from '@sluice/connect-api';
import { javaHashCode, type MessageQueue, type Producer, queueKey, type SendResult } from '@sluice/rocketmq';
import type { SourceLimits } from './limits.ts';
import { type Outgoing, QueueSender, type QueueSenderOptions } from './queue-sender.ts';

export type OutboxHooks = Pick<QueueSenderOptions, 'onRefused' | 'retryRefused' | 'stopped'> & {
  onAck: (items: Outgoing[], result: SendResult, queue: MessageQueue, seconds: number) => void;
  onNotDurable: (status: string, queue: string) => void;
  /** A record could not be handed over again (its topic's route is gone). */
  onFatal: (err: unknown) => void;
};

/** `key`: a key's records wait for its queue's master; `none`: they go where a master is up. */
export type OrderPolicy = 'key' | 'none';

export interface OutboxOptions {
  order: OrderPolicy;
  /** How often a topic's route is read again (queues added, masters gone). */
  routeRefreshMs: number;
}

interface Route {
  /** Every queue of the topic, sorted: a master that is away keeps its queues here. */
  queues: MessageQueue[];
  readAt: number;
  /** The queues of masters that are not away, as of `version`. */
  up: MessageQueue[];
  version: number;
}

/**
 * Where a source task's records go: each to a queue of its topic, through one sender per
 * queue. A keyed record goes to its key's queue, so a key's records keep their order; with
 * `rocketmq.order=none`, and for records without a key (round-robin), a master whose sends fail
 * is passed over — and what waits for it is sent elsewhere — until a send to it works again.
 */
export class Outbox {
  readonly #producer: Producer;
  readonly #limits: SourceLimits;
  readonly #owner: Readonly<Record<string, string>> | undefined;
  readonly #hooks: OutboxHooks;
  readonly #opts: OutboxOptions;
  readonly #senders = new Map<string, QueueSender>();
  readonly #byQueue = new WeakMap<MessageQueue, QueueSender>();
  readonly #routes = new Map<string, Route>();
  /** Masters whose last send failed for a passing reason; `#version` counts changes. */
  readonly #away = new Set<string>();
  #version = 0;
  #roundRobin = 0;

  constructor(
    producer: Producer,
    limits: SourceLimits,
    owner: Readonly<Record<string, string>> | undefined,
    hooks: OutboxHooks,
    opts: OutboxOptions,
  ) {
    this.#producer = producer;
    this.#limits = limits;
    this.#owner = owner;
    this.#hooks = hooks;
    this.#opts = opts;
  }

  /** Hands a record to its queue's sender: at once when its topic's route is fresh. */
  send(item: Outgoing): void | Promise<void> {
    // Known topics need no await: one microtask per record is measurable at 100k/s.
    const route = this.#routes.get(item.record.topic);
    if (route && performance.now() - route.readAt < this.#opts.routeRefreshMs)
      this.#sender(this.#pick(route, item.record)).enqueue(item);
    else
      return this.#read(item.record.topic).then((r) =>
        this.#sender(this.#pick(r, item.record)).enqueue(item),
      );
  }

  /** Resolves when everything handed over so far was sent (or sending stopped). */
  async idle(): Promise<void> {
    await Promise.all([...this.#senders.values()].map((s) => s.idle()));
  }

  /** Reads a topic's route again (see mergeRoute); the last one stands while it cannot. */
  async #read(topic: string): Promise<Route> {
    const old = this.#routes.get(topic);
    let fresh: MessageQueue[];
    try {
      fresh = await this.#producer.queues(topic);
    } catch (err) {
      if (!old) throw err;
      old.readAt = performance.now();
      return old;
    }
    const queues = mergeRoute(old?.queues ?? [], fresh);
    if (queues.length === 0) throw new Error(`topic ${topic} has no writable queue`);
    const route: Route = { queues, readAt: performance.now(), up: queues, version: -1 };
    this.#routes.set(topic, route);
    return route;
  }

  #pick(route: Route, record: SourceRecord): MessageQueue {
    const { key } = record;
    if (key !== undefined && this.#opts.order === 'key')
      return route.queues[Math.abs(javaHashCode(key) % route.queues.length)]!;
    if (route.version !== this.#version) {
      const up = route.queues.filter((q) => !this.#away.has(q.brokerName));
      route.up = up.length > 0 ? up : route.queues;
      route.version = this.#version;
    }
    const list = route.up;
    return list[
      key !== undefined ? Math.abs(javaHashCode(key) % list.length) : this.#roundRobin++ % list.length
    ]!;
  }

  /** A send to `queue` failed for a passing reason: its master counts as away. */
  #trouble(queue: MessageQueue): void {
    if (!this.#away.has(queue.brokerName)) {
      this.#away.add(queue.brokerName);
      this.#version++;
    }
    // What waits for that master and may go elsewhere, goes elsewhere (not the batch in flight:
    // it may have been stored, and is sent again to the same queue).
    const movable = (o: Outgoing) => this.#opts.order === 'none' || o.record.key === undefined;
    for (const sender of this.#senders.values()) {
      if (sender.queue.brokerName !== queue.brokerName || !this.#elsewhere(sender.queue)) continue;
      for (const item of sender.take(movable)) this.send(item)?.catch(this.#hooks.onFatal);
    }
  }

  /** Whether the topic of `queue` has a queue on a master that is not away. */
  #elsewhere(queue: MessageQueue): boolean {
    const route = this.#routes.get(queue.topic);
    return route?.queues.some((q) => !this.#away.has(q.brokerName)) ?? false;
  }

  #sender(queue: MessageQueue): QueueSender {
    // Routes keep their queue objects until read again: found by identity, no key text per record.
    const known = this.#byQueue.get(queue);
    if (known) return known;
    const key = queueKey(queue);
    let sender = this.#senders.get(key);
    if (!sender) {
      const hooks = this.#hooks;
      sender = new QueueSender(queue, this.#producer, {
        ...this.#limits,
        backoff: { initialMs: this.#limits.retryBackoffMs, maxMs: this.#limits.maxRetryBackoffMs },
        ownerHeaders: this.#owner,
        stopped: hooks.stopped,
        onRefused: hooks.onRefused,
        retryRefused: hooks.retryRefused,
        onRetry: () => this.#trouble(queue),
        onNotDurable: (status) => hooks.onNotDurable(status, key),
        onAck: (items, result, seconds) => {
          if (this.#away.delete(queue.brokerName)) this.#version++;
          hooks.onAck(items, result, queue, seconds);
        },
      });
      this.#senders.set(key, sender);
    }
    this.#byQueue.set(queue, sender);
    return sender;
  }
}

/**
 * A topic's queues after a route read: a master the route lists is taken at its word (queues
 * added or removed there); one it does not list (away, or not registered again yet) keeps its
 * queues, so that keyed records wait for it instead of moving. Sorted.
 */
export function mergeRoute(old: readonly MessageQueue[], fresh: readonly MessageQueue[]): MessageQueue[] {
  const listed = new Set(fresh.map((q) => q.brokerName));
  const kept = old.filter((q) => !listed.has(q.brokerName));
  return [...kept, ...fresh].sort((a, b) => (queueKey(a) < queueKey(b) ? -1 : 1));
}

/** The task's commitRecord hook for each acknowledged record; its failures are only logged. */
export function callCommitRecord(
  task: SourceTask,
  items: Outgoing[],
  result: SendResult,
  queue: MessageQueue,
  logger: Logger,
): void {
  const msgIds = result.msgId.split(',');
  for (const [i, item] of items.entries())
    void Promise.resolve()
      .then(() =>
        task.commitRecord?.(item.record, {
          msgId: msgIds[i] ?? result.msgId,
          queue,
          offset: result.queueOffset + BigInt(i),
        }),
      )
      .catch((err: unknown) => logger.warn('commitRecord failed', { error: String(err) }));
}
