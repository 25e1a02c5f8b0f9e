import { type MessageQueue, type Producer, type PullConsumer, queueKey } from '@sluice/rocketmq';
import { Backoff } from '../backoff.ts';
import { SluiceError } from '../errors.ts';
import { PartAssembler, splitRecord } from './record-parts.ts';

/** How long a caller waits by default for the log to be read up to a point. */
export const CATCH_UP_TIMEOUT_MS = 15_000;
/** Records asked for per pull of the log. */
const PULL_BATCH = 256;
/** Long-poll time of the tail loop, and what a pull may take beyond it. */
const TAIL_POLL_MS = 2000;
const PULL_TIMEOUT_MARGIN_MS = 5000;
/** Between tries of a tail loop whose pull failed (a broker restarting). */
const TAIL_ERROR_BACKOFF = { initialMs: 500, maxMs: 5000 };

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
  /**
   * The route's first readable queue is no longer the one this log reads: what was applied here
   * came from another log than the cluster's. Nothing read here can be trusted; the tail loop
   * ends and the owner must stop acting on it (a worker exits and is started again).
   */
  onMoved?: (err: SluiceError) => void;
}

/**
 * A RocketMQ topic used as an append-only log of JSON records. Everything goes through one
 * queue, the first readable one in the order all clients sort queues (broker name, then queue
 * id), because one queue is one total order: every reader applies the same records in the same
 * order, so no wall clock has to decide. The cluster creates its state topics readable on one
 * broker only (see ensureClusterResources); for a topic readable on several, the route is read
 * again as the tail loop runs and a change of the first queue ends this log (`onMoved`).
 */
export class TopicLog<T> {
  readonly topic: string;
  readonly #opts: TopicLogOptions;
  #queue: MessageQueue | undefined;
  /** The next offset to read. */
  #next = 0n;
  /** The log's end as the last read saw it (for the lag). */
  #end = 0n;
  readonly #parts = new PartAssembler();
  #tail: Promise<void> | undefined;
  #stopped = false;
  /** Ends a long poll of the tail loop at once on `stop`. */
  readonly #abort = new AbortController();
  /** Callers of `waitFor`, released as the position passes their offset. */
  readonly #waiters = new Set<{ offset: bigint; release: () => void }>();

  constructor(opts: TopicLogOptions) {
    this.topic = opts.topic;
    this.#opts = opts;
  }

  get position(): bigint {
    return this.#next;
  }

  async #firstQueue(): Promise<MessageQueue | undefined> {
    return (await this.#opts.consumer.queues(this.topic))[0];
  }

  async #q(): Promise<MessageQueue> {
    if (!this.#queue) {
      const first = await this.#firstQueue().catch((err: unknown) => {
        throw new SluiceError('UNAVAILABLE', `${this.topic}: no route (${String(err)})`, {
          retriable: true,
          cause: err,
        });
      });
      if (!first)
        throw new SluiceError(
          'UNAVAILABLE',
          `${this.topic}: no readable queue: the broker that holds it is away (restarting?)`,
          { retriable: true },
        );
      this.#queue = first;
    }
    return this.#queue;
  }

  /** Binds to the log's queue, waiting while no broker serves one (or until `stop`). */
  async bind(onWait?: (err: unknown) => void): Promise<void> {
    const backoff = new Backoff(TAIL_ERROR_BACKOFF);
    for (;;) {
      try {
        await this.#q();
        return;
      } catch (err) {
        if (this.#stopped || !(err instanceof SluiceError && err.retriable)) throw err;
        onWait?.(err);
        await backoff.wait(this.#abort.signal);
      }
    }
  }

  /** The queue the route now puts first, if not this log's (no readable queue: none). */
  async #movedTo(): Promise<MessageQueue | undefined> {
    if (!this.#queue) return undefined;
    const first = await this.#firstQueue().catch(() => undefined);
    return first && queueKey(first) !== queueKey(this.#queue) ? first : undefined;
  }

  /**
   * Appends one record; resolves with its offset once the broker stored it. One too large for a
   * message goes as parts (record-parts.ts), and its offset is its last part's.
   */
  async append(value: T, timeoutMs?: number): Promise<bigint> {
    let offset = -1n;
    for (const body of splitRecord(JSON.stringify(value))) {
      const r = await this.#opts.producer.send(
        { topic: this.topic, body: Buffer.from(body) },
        { queue: await this.#q(), ...(timeoutMs ? { timeoutMs } : {}) },
      );
      offset = r.queueOffset;
    }
    return offset;
  }

  async minOffset(): Promise<bigint> {
    return this.#opts.consumer.minOffset(await this.#q());
  }

  /** Records in the log not read yet, as of the last read: 0 when caught up. */
  get lag(): number {
    return Math.max(0, Number(this.#end - this.#next));
  }

  /** The offset the next appended record will get. */
  async endOffset(): Promise<bigint> {
    return this.#opts.consumer.maxOffset(await this.#q());
  }

  /**
   * Resolves once every record before `offset` was read and applied here (the position reached
   * it), or rejects with a retriable UNAVAILABLE after `timeoutMs`.
   */
  waitFor(offset: bigint, timeoutMs = CATCH_UP_TIMEOUT_MS): Promise<void> {
    if (this.#next >= offset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        offset,
        release: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new SluiceError('UNAVAILABLE', `${this.topic}: not caught up in ${timeoutMs} ms`, {
            retriable: true,
          }),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Resolves once everything the log holds now was applied here. */
  async catchUp(timeoutMs = CATCH_UP_TIMEOUT_MS): Promise<void> {
    await this.waitFor(await this.endOffset(), timeoutMs);
  }

  #release(): void {
    for (const w of this.#waiters)
      if (this.#next >= w.offset) {
        this.#waiters.delete(w);
        w.release();
      }
  }

  /** Continues reading at `offset` (a restart from a local snapshot, or from the log's start). */
  seek(offset: bigint): void {
    this.#next = offset;
    this.#parts.reset();
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
    const backoff = new Backoff(TAIL_ERROR_BACKOFF);
    this.#tail ??= (async () => {
      while (!this.#stopped) {
        try {
          await this.#pullOnce(
            this.#opts.pollMs ?? TAIL_POLL_MS,
            apply,
            (o, e) => onError(new Error(`bad record at ${o}: ${e}`)),
            this.#abort.signal,
          );
          backoff.reset();
        } catch (err) {
          if (this.#stopped) return;
          onError(err);
          await backoff.wait(this.#abort.signal);
        }
        const movedTo = await this.#movedTo();
        if (movedTo) {
          const moved = new SluiceError(
            'CONFLICT',
            `${this.topic}: the route now puts ${queueKey(movedTo)} first, not ${queueKey(this.#queue!)} read here: this worker was reading another log than the cluster's`,
          );
          this.#stopped = true;
          this.#opts.onMoved?.(moved);
          return;
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
      maxMessages: PULL_BATCH,
      suspendMs,
      timeoutMs: suspendMs + PULL_TIMEOUT_MARGIN_MS,
      ...(signal ? { signal } : {}),
    });
    this.#end = r.maxOffset;
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
      this.#next = m.queueOffset + 1n;
      const got = this.#parts.take(value);
      if (got) apply({ offset: m.queueOffset, value: got.whole as T });
    }
    if (r.messages.length === 0 && r.nextBeginOffset > this.#next) this.#next = r.nextBeginOffset;
    this.#release();
  }
}
