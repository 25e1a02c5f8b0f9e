import type { SourceRecord } from '@sluice/connect-api';
import { isRetriable, type MessageQueue, type Producer, type SendResult } from '@sluice/rocketmq';
import { Backoff, type BackoffPolicy } from '../backoff.ts';
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
  onAck: (items: Outgoing[], result: SendResult) => void;
  onFatal: (err: unknown) => void;
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
 * Retriable failures are retried with backoff until stopped; anything else is reported as fatal.
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
      const batch: Outgoing[] = [];
      let bytes = 0;
      while (batch.length < this.#opts.maxBatchRecords && this.#pending.length > 0) {
        const next = this.#pending[0]!;
        if (batch.length > 0 && bytes + next.bytes > this.#opts.maxBatchBytes) break;
        batch.push(this.#pending.shift()!);
        bytes += next.bytes;
      }
      const backoff = new Backoff(this.#opts.backoff);
      for (;;) {
        try {
          const msgs = batch.map((o) => toMessage(o.record, this.#opts.ownerHeaders));
          const result =
            msgs.length === 1
              ? await this.#producer.send(msgs[0]!, { queue: this.queue })
              : await this.#producer.sendBatch(msgs, { queue: this.queue });
          if (result.status === 'SEND_OK') {
            this.#opts.onAck(batch, result);
            break;
          }
          this.#opts.onNotDurable?.(result.status);
          if (this.#opts.stopped()) return;
          await backoff.wait();
        } catch (err) {
          if (!isRetriable(err)) {
            this.#opts.onFatal(err);
            return;
          }
          if (this.#opts.stopped()) return;
          await backoff.wait();
        }
      }
    }
  }
}
