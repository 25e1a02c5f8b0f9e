import type { SourceRecord } from '@sluice/connect-api';
import { isRetriable, type MessageQueue, type Producer, type SendResult } from '@sluice/rocketmq';
import { Backoff, type BackoffPolicy } from '../backoff.ts';
import { secondsSince } from '../metrics/task-metrics.ts';
import { toMessage } from '../records/message-mapping.ts';

export interface Outgoing {
  record: SourceRecord;
  seq: number;
  bytes: number;
}

export interface QueueSenderOptions {
  maxBatchRecords: number;
  maxBatchBytes: number;
  /** Between tries of a batch the broker refused for a retriable reason. */
  backoff: BackoffPolicy;
  /** A batch was acknowledged, `seconds` after it was first sent (retries included). */
  onAck: (items: Outgoing[], result: SendResult, seconds: number) => void;
  /**
   * RocketMQ refused one record for good (too large, a property it cannot hold, a broker's own
   * limit): resolves true once it was dealt with as a bad record — its position may then move —
   * or false when the task failed over it (the sender stops).
   */
  onRefused: (item: Outgoing, err: unknown) => Promise<boolean>;
  /** A send failed for a passing reason (the master away, say) and is tried again. */
  onRetry?: () => void;
  /** Tries a refused record again, for as long as `errors.retry.timeout` says. */
  retryRefused: <T>(op: () => Promise<T>) => Promise<T>;
  stopped: () => boolean;
  /**
   * The broker stored a batch but not as durably as it promises (FLUSH_DISK_TIMEOUT,
   * FLUSH_SLAVE_TIMEOUT, SLAVE_NOT_AVAILABLE on SYNC_FLUSH / SYNC_MASTER brokers): it is not
   * acknowledged, and is sent again after a backoff (at least once, never a position too early).
   */
  onNotDurable?: (status: string) => void;
  /** Who writes: added to every message (see records/owner-headers.ts). */
  ownerHeaders?: Readonly<Record<string, string>> | undefined;
}

/**
 * Sends the records bound for one queue, one batch at a time and in order: a failed batch is
 * retried before anything after it, so records of one queue (and so of one key) keep their order.
 * Retriable failures are retried with backoff until stopped. A batch refused for good is sent
 * again one record at a time, so that only the records RocketMQ refuses become bad records.
 */
export class QueueSender {
  readonly queue: MessageQueue;
  readonly #pending: Outgoing[] = [];
  readonly #producer: Producer;
  readonly #opts: QueueSenderOptions;
  #running: Promise<void> | undefined;

  constructor(queue: MessageQueue, producer: Producer, opts: QueueSenderOptions) {
    this.queue = queue;
    this.#producer = producer;
    this.#opts = opts;
  }

  get pending(): number {
    return this.#pending.length;
  }

  /** Takes back the waiting records `movable` accepts (not the batch in flight), in order. */
  take(movable: (item: Outgoing) => boolean): Outgoing[] {
    const taken: Outgoing[] = [];
    const kept: Outgoing[] = [];
    for (const item of this.#pending) (movable(item) ? taken : kept).push(item);
    this.#pending.splice(0, this.#pending.length, ...kept);
    return taken;
  }

  enqueue(item: Outgoing): void {
    this.#pending.push(item);
    if (!this.#running) this.#start();
  }

  #start(): void {
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      // Records may have been enqueued between the drain's last check and this callback.
      if (this.#pending.length > 0 && !this.#opts.stopped()) this.#start();
    });
  }

  /** Resolves when everything enqueued so far was sent (or sending stopped). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0 && !this.#opts.stopped()) {
      const batch = this.#nextBatch();
      const sent = await this.#send(batch);
      if (sent === 'stopped') return;
      if (sent === 'ok') continue;
      for (const item of batch) {
        const alone = batch.length === 1 ? sent : await this.#send([item]);
        if (alone === 'stopped') return;
        if (alone !== 'ok' && !(await this.#refused(item, alone.refused))) return;
      }
    }
  }

  /** The oldest records that fit one batch, taken off in one splice (a shift each is O(pending)). */
  #nextBatch(): Outgoing[] {
    const pending = this.#pending;
    const limit = Math.min(this.#opts.maxBatchRecords, pending.length);
    let n = 0;
    let bytes = 0;
    while (n < limit) {
      const next = pending[n]!;
      if (n > 0 && bytes + next.bytes > this.#opts.maxBatchBytes) break;
      bytes += next.bytes;
      n++;
    }
    return pending.splice(0, n);
  }

  /** One record RocketMQ refused: tried again as long as asked, then a bad record. */
  async #refused(item: Outgoing, err: unknown): Promise<boolean> {
    try {
      const again = await this.#opts.retryRefused(async () => {
        const r = await this.#send([item]);
        if (typeof r === 'object') throw r.refused;
        return r;
      });
      return again === 'ok';
    } catch (last) {
      return this.#opts.onRefused(item, last ?? err);
    }
  }

  /** Sends a batch, retrying what may pass (outages, degraded durability) until stopped. */
  async #send(batch: Outgoing[]): Promise<'ok' | 'stopped' | { refused: unknown }> {
    const backoff = new Backoff(this.#opts.backoff);
    const sentAt = process.hrtime.bigint();
    // Asked again right before each write (after every wait, and by the producer itself before
    // each of its own tries): a runner frozen in a wait must not write when it wakes.
    const mayWrite = () => !this.#opts.stopped();
    for (;;) {
      if (!mayWrite()) return 'stopped';
      try {
        const msgs = batch.map((o) => toMessage(o.record, this.#opts.ownerHeaders));
        const opts = { queue: this.queue, mayWrite };
        const result =
          msgs.length === 1
            ? await this.#producer.send(msgs[0]!, opts)
            : await this.#producer.sendBatch(msgs, opts);
        if (result.status === 'SEND_OK') {
          this.#opts.onAck(batch, result, secondsSince(sentAt));
          return 'ok';
        }
        this.#opts.onNotDurable?.(result.status);
      } catch (err) {
        if (!mayWrite()) return 'stopped';
        if (!isRetriable(err)) return { refused: err };
        this.#opts.onRetry?.();
      }
      await backoff.wait();
    }
  }
}
