import type { MessageQueue, PullConsumer, PullResult } from '@sluice/rocketmq';

export interface QueuePullerOptions {
  consumer: PullConsumer;
  queue: MessageQueue;
  /** Messages asked for per pull (a broker answers at most 32 from memory). */
  batch: number;
  /** Pulls in flight at once while the queue holds more than an answer brings (0 or 1: one). */
  ahead: number;
  /** Ends a long poll at once (the task is stopping). */
  signal: AbortSignal;
}

interface Ahead {
  offset: bigint;
  /** Undefined when the pull failed: it is then sent again the ordinary way. */
  result: Promise<PullResult | undefined>;
}

/**
 * Pulls one queue in offset order. A broker answers a pull with at most 32 messages from memory,
 * so one pull at a time caps a queue at 32 messages per round trip. While the queue holds more
 * than the last answer brought, the pulls of the next batches are sent at once (at the offsets
 * they will start at if each answer advances as far as the last did).
 *
 * An answer is used only for the offset it was asked for and the caller needs next, so a guess
 * that was wrong (fewer messages came, the queue ended, the broker refused the offset) is dropped
 * and that offset pulled again: nothing is skipped and nothing is taken twice.
 */
export class QueuePuller {
  readonly #o: QueuePullerOptions;
  #ahead: Ahead[] = [];

  constructor(opts: QueuePullerOptions) {
    this.#o = opts;
  }

  /** The messages from `offset` on: a pull sent ahead for that offset, or a new one. */
  async pull(offset: bigint, suspendMs: number): Promise<PullResult> {
    let result: PullResult | undefined;
    const first = this.#ahead[0];
    if (first?.offset === offset) {
      this.#ahead.shift();
      result = await first.result;
      // Only messages count: an offset past the end or refused is asked again, long-polling.
      if (result?.status !== 'FOUND' || result.messages.length === 0) result = undefined;
    }
    if (result === undefined) {
      this.#ahead = [];
      result = await this.#o.consumer.pull(this.#o.queue, offset, {
        maxMessages: this.#o.batch,
        suspendMs,
        // A long poll ends at once on stop (the broker may hold it ~5 s); nothing was consumed.
        ...(suspendMs > 0 ? { signal: this.#o.signal } : {}),
      });
    }
    this.#sendAhead(offset, result);
    return result;
  }

  /** Drops the pulls sent ahead (their answers are ignored). */
  close(): void {
    this.#ahead = [];
  }

  #sendAhead(offset: bigint, r: PullResult): void {
    const step = r.nextBeginOffset - offset;
    const more = r.status === 'FOUND' && step > 0n && r.nextBeginOffset < r.maxOffset;
    // The pulls sent ahead assumed answers as long as this one: a shorter one breaks the chain.
    if (!more || this.#ahead[0]?.offset !== r.nextBeginOffset) this.#ahead = [];
    if (!more || this.#o.signal.aborted) return;
    let next = this.#ahead.at(-1) ? this.#ahead.at(-1)!.offset + step : r.nextBeginOffset;
    while (this.#ahead.length < this.#o.ahead && next < r.maxOffset) {
      const result = this.#o.consumer
        .pull(this.#o.queue, next, { maxMessages: this.#o.batch })
        .catch(() => undefined);
      this.#ahead.push({ offset: next, result });
      next += step;
    }
  }
}
