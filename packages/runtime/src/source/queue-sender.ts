import type { SourceRecord } from '@sluice/connect-api';
import {
  isRetriable,
  type Message,
  type MessageQueue,
  type Producer,
  type SendResult,
} from '@sluice/rocketmq';

export interface Outgoing {
  record: SourceRecord;
  seq: number;
  bytes: number;
}

/** The user property a source record's own timestamp travels in (RocketMQ sets born time itself). */
export const TIMESTAMP_PROPERTY = 'sluice.timestamp';

/** The RocketMQ message a source record becomes. */
export function toMessage(record: SourceRecord): Message {
  const properties: Record<string, string> = { ...record.headers };
  if (record.timestamp !== undefined) properties[TIMESTAMP_PROPERTY] = String(record.timestamp);
  return {
    topic: record.topic,
    body: record.value
      ? Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength)
      : Buffer.alloc(0),
    ...(record.key ? { keys: record.key } : {}),
    ...(record.tags ? { tags: record.tags } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

export interface QueueSenderOptions {
  maxBatchRecords: number;
  maxBatchBytes: number;
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
  onAck: (items: Outgoing[], result: SendResult) => void;
  onFatal: (err: unknown) => void;
  stopped: () => boolean;
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
      let backoff = this.#opts.retryBackoffMs;
      for (;;) {
        try {
          const msgs = batch.map((o) => toMessage(o.record));
          const result =
            msgs.length === 1
              ? await this.#producer.send(msgs[0]!, { queue: this.queue })
              : await this.#producer.sendBatch(msgs, { queue: this.queue });
          this.#opts.onAck(batch, result);
          break;
        } catch (err) {
          if (!isRetriable(err)) {
            this.#opts.onFatal(err);
            return;
          }
          if (this.#opts.stopped()) return;
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, this.#opts.maxRetryBackoffMs);
        }
      }
    }
  }
}
