import { compareQueues, type MessageQueue, type Producer, type PullConsumer } from '@sluice/rocketmq';

export interface LogEntry<T> {
  /** The record's queue offset: its place in the one total order every reader sees. */
  offset: bigint;
  value: T;
}

export interface TopicLogOptions {
  topic: string;
  producer: Producer;
  consumer: PullConsumer;
  /** Long-poll time of the tail loop (default 2000 ms). */
  pollMs?: number;
}

/**
 * A RocketMQ topic used as an append-only log of JSON records. Everything goes through one
 * queue (the first in the order all clients sort queues), because one queue is one total order:
 * every reader applies the same records in the same order, so no wall clock has to decide.
 */
export class TopicLog<T> {
  readonly topic: string;
  readonly #opts: TopicLogOptions;
  #queue: MessageQueue | undefined;
  /** The next offset to read. */
  #next = 0n;
  #tail: Promise<void> | undefined;
  #stopped = false;
  /** Ends a long poll of the tail loop at once on `stop`. */
  readonly #abort = new AbortController();

  constructor(opts: TopicLogOptions) {
    this.topic = opts.topic;
    this.#opts = opts;
  }

  get position(): bigint {
    return this.#next;
  }

  async #q(): Promise<MessageQueue> {
    if (!this.#queue) {
      const queues = (await this.#opts.consumer.queues(this.topic)).sort(compareQueues);
      if (queues.length === 0) throw new Error(`topic ${this.topic} has no readable queue`);
      this.#queue = queues[0]!;
    }
    return this.#queue;
  }

  /** Appends one record; resolves with its offset once the broker stored it. */
  async append(value: T, timeoutMs?: number): Promise<bigint> {
    const r = await this.#opts.producer.send(
      { topic: this.topic, body: Buffer.from(JSON.stringify(value)) },
      { queue: await this.#q(), ...(timeoutMs ? { timeoutMs } : {}) },
    );
    return r.queueOffset;
  }

  async minOffset(): Promise<bigint> {
    return this.#opts.consumer.minOffset(await this.#q());
  }

  /** The offset the next appended record will get. */
  async endOffset(): Promise<bigint> {
    return this.#opts.consumer.maxOffset(await this.#q());
  }

  /** Continues reading at `offset` (a restart from a local snapshot, or from the log's start). */
  seek(offset: bigint): void {
    this.#next = offset;
  }

  /**
   * Reads and applies every record up to the end of the log as it is now. A record that is not
   * valid JSON is skipped with `onBad`: one damaged record must not stop the whole cluster.
   */
  async readToEnd(
    apply: (e: LogEntry<T>) => void,
    onBad?: (offset: bigint, err: unknown) => void,
  ): Promise<void> {
    const end = await this.endOffset();
    while (this.#next < end) await this.#pullOnce(0, apply, onBad);
  }

  /** Keeps applying new records as they arrive (long polling) until `stop`. */
  follow(apply: (e: LogEntry<T>) => void, onError: (err: unknown) => void): void {
    this.#tail ??= (async () => {
      while (!this.#stopped) {
        try {
          await this.#pullOnce(
            this.#opts.pollMs ?? 2000,
            apply,
            (o, e) => onError(new Error(`bad record at ${o}: ${e}`)),
            this.#abort.signal,
          );
        } catch (err) {
          if (this.#stopped) return;
          onError(err);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    await this.#tail;
  }

  async #pullOnce(
    suspendMs: number,
    apply: (e: LogEntry<T>) => void,
    onBad?: (offset: bigint, err: unknown) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const queue = await this.#q();
    const r = await this.#opts.consumer.pull(queue, this.#next, {
      maxMessages: 256,
      suspendMs,
      timeoutMs: suspendMs + 5000,
      ...(signal ? { signal } : {}),
    });
    if (r.status === 'OFFSET_ILLEGAL' && r.nextBeginOffset < this.#next) {
      // The log is shorter than what we read: the broker lost data. Never re-read silently.
      throw new Error(
        `${this.topic}: the log ends at ${r.nextBeginOffset}, before our position ${this.#next}`,
      );
    }
    for (const m of r.messages) {
      if (m.queueOffset < this.#next) continue;
      let value: T;
      try {
        value = JSON.parse(m.body.toString('utf8')) as T;
      } catch (err) {
        onBad?.(m.queueOffset, err);
        this.#next = m.queueOffset + 1n;
        continue;
      }
      apply({ offset: m.queueOffset, value });
      this.#next = m.queueOffset + 1n;
    }
    if (r.messages.length === 0 && r.nextBeginOffset > this.#next) this.#next = r.nextBeginOffset;
  }
}
