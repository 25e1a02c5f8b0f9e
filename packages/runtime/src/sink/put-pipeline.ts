import { isRetriableError, type SinkRecord } from '@sluice/connect-api';
import { secondsSince } from '../metrics/task-metrics.ts';
import { ConnectorTimeoutError } from '../task/timeout.ts';
import type { Delivery } from './delivery.ts';

export interface PutPipelineOptions {
  delivery: Delivery;
  /** Puts in flight at once: 1 hands each batch to `Delivery.deliver` and waits. */
  maxInFlight: number;
  /** Whether a put may start now (the writer fence); when not, batches go one at a time. */
  mayWrite: () => boolean;
  /** The task is stopping. */
  signal: AbortSignal;
  /** Whether a bad record fails the task (tolerance none): then a refusal is not retried. */
  failsOnRefusal: boolean;
  /** A batch is written, and every batch before it: its offsets may be stored. */
  delivered: (records: SinkRecord[], seconds: number) => void;
}

interface InFlight {
  records: SinkRecord[];
  began: bigint;
  /** Resolves with the put's error, or undefined when it succeeded; never rejects. */
  outcome: Promise<unknown>;
  /** It resolved without error (so it can count without waiting). */
  ok?: true;
  /** It failed: nothing new may start before it went again. */
  failed?: true;
}

/**
 * Keeps up to `maxInFlight` puts of one sink task going, and takes their completions in the order
 * they started (the contract of `SinkTask.maxConcurrentPuts`): a batch counts as delivered only
 * once every earlier one did. When one fails, everything in flight is awaited and the failed batch
 * and every later one go again one at a time through `Delivery.deliver` (retries, backoff, bad
 * records), so each queue's records end up written in queue order.
 */
export class PutPipeline {
  readonly #o: PutPipelineOptions;
  readonly #inFlight: InFlight[] = [];

  constructor(opts: PutPipelineOptions) {
    this.#o = opts;
  }

  /** Records handed to puts that have not resolved. */
  get records(): number {
    let n = 0;
    for (const f of this.#inFlight) n += f.records.length;
    return n;
  }

  /**
   * Hands a batch over: returns once it is started (or, one at a time, written). False: the task
   * is stopping and the batch (or an earlier one) was not written; throws when the task fails.
   */
  async submit(records: SinkRecord[]): Promise<boolean> {
    if (this.#o.maxInFlight <= 1) return this.#deliver(records, process.hrtime.bigint());
    // Count what already finished in order, so that offsets keep up while the pipe stays full.
    while (this.#inFlight[0]?.ok) this.#done(this.#inFlight.shift()!);
    // A failed put is dealt with before anything new starts: a task that wrote this batch now
    // would write it before the failed one (the failure may have emptied the task's own queue).
    while (this.#inFlight.length >= this.#o.maxInFlight || this.#inFlight.some((x) => x.failed))
      if (!(await this.#settleHead())) return false;
    if (this.#o.signal.aborted) return false;
    if (!this.#o.mayWrite()) {
      // Fenced: nothing new starts; `deliver` waits for the fence (or the stop that follows).
      if (!(await this.drain())) return false;
      return this.#deliver(records, process.hrtime.bigint());
    }
    const began = process.hrtime.bigint();
    const f: InFlight = { records, began, outcome: Promise.resolve() };
    f.outcome = this.#o.delivery.putOnce(records).then(
      () => {
        f.ok = true;
      },
      (err: unknown) => {
        f.failed = true;
        return err ?? new Error('put failed');
      },
    );
    this.#inFlight.push(f);
    return true;
  }

  /** Waits for the oldest put in flight (see drain). */
  async settleOldest(): Promise<boolean> {
    return this.#inFlight.length === 0 || this.#settleHead();
  }

  /** Waits for everything in flight; false when stopping cut it short. Throws when the task fails. */
  async drain(): Promise<boolean> {
    while (this.#inFlight.length > 0) if (!(await this.#settleHead())) return false;
    return true;
  }

  /** The task fails: waits until no put runs (what they wrote stays undelivered: at least once). */
  async abandon(): Promise<void> {
    await Promise.all(this.#inFlight.splice(0).map((f) => f.outcome));
  }

  /** Waits for the oldest put; on its failure, goes again from it on, one at a time. */
  async #settleHead(): Promise<boolean> {
    const head = this.#inFlight[0]!;
    const err = await head.outcome;
    if (err === undefined) {
      this.#done(this.#inFlight.shift()!);
      return true;
    }
    const again = this.#inFlight.splice(0);
    await Promise.all(again.map((f) => f.outcome));
    if (this.#o.signal.aborted) return false;
    // A hung put is an outage of the connector, and a refusal the task may not survive needs no
    // second try: the task fails now, as a single put would have failed it.
    if (err instanceof ConnectorTimeoutError) throw err;
    if (this.#o.failsOnRefusal && !isRetriableError(err)) throw err;
    for (const f of again) if (!(await this.#deliver(f.records, f.began))) return false;
    return true;
  }

  #done(f: InFlight): void {
    this.#o.delivered(f.records, secondsSince(f.began));
  }

  async #deliver(records: SinkRecord[], began: bigint): Promise<boolean> {
    if (!(await this.#o.delivery.deliver(records))) return false;
    this.#o.delivered(records, secondsSince(began));
    return true;
  }
}
