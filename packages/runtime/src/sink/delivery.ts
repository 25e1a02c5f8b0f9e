import { isRetriableError, type Logger, type SinkRecord, type SinkTask } from '@sluice/connect-api';
import { Backoff, sleep } from '../backoff.ts';
import type { ErrantRecords } from '../errant/errant-records.ts';
import { ConnectorTimeoutError } from '../task/timeout.ts';
import { FENCED_WAIT_MS, type SinkLimits } from './limits.ts';

export interface DeliveryOptions {
  task: SinkTask;
  limits: SinkLimits;
  errant: ErrantRecords;
  logger: Logger;
  connector: string;
  taskId: number;
  /** The task is stopping. */
  signal: AbortSignal;
  mayWrite: () => boolean;
  /** A call into the task, bounded by the call timeout. */
  call: <T>(what: string, fn: () => T | Promise<T>) => Promise<T>;
}

/**
 * Hands records to a sink task's `put`: a retriable failure is retried with backoff; the
 * writer fence holds records back. When the task refuses a batch for good and bad records are
 * tolerated, the batch is handed over again in halves until the records it refuses are found:
 * those become bad records, the others are delivered (some may be written twice: at least once).
 * Records the task reported itself (reportBadRecord) are dealt with before `put` counts as done.
 */
export class Delivery {
  readonly #o: DeliveryOptions;
  /** Reports not yet dealt with, and the first one not tolerated. */
  readonly #reports = new Set<Promise<void>>();
  #refusal: unknown;

  constructor(opts: DeliveryOptions) {
    this.#o = opts;
  }

  /** For the task's context: a record of the current put the task cannot write. */
  report(record: SinkRecord, err: Error): Promise<void> {
    const p: Promise<void> = this.#o.errant
      .handle({ kind: 'sink', record }, 'TASK_PUT', err)
      .catch((e: unknown) => {
        this.#refusal ??= e;
      })
      .finally(() => this.#reports.delete(p));
    this.#reports.add(p);
    return p;
  }

  /**
   * One `put` of overlapping ones (the caller checked the fence): no retry, no halving — a
   * failure goes back to the caller, which hands the records to `deliver` once nothing is in
   * flight. Done once every report made so far, by this call or another, was dealt with.
   */
  async putOnce(records: SinkRecord[]): Promise<void> {
    await this.#o.call('put', () => this.#o.task.put(records, this.#o.signal));
    await this.#settleReports();
  }

  /** Waits for the reports made so far; throws the first that was not tolerated. */
  async #settleReports(): Promise<void> {
    await Promise.all([...this.#reports]);
    if (this.#refusal !== undefined) {
      // Not tolerated, or the dead-letter topic refused it: the task fails; stopping: not done.
      if (this.#o.signal.aborted) throw STOPPED;
      throw this.#refusal;
    }
  }

  /** Resolves once `records` are delivered (false: stopping first); throws when the task fails. */
  async deliver(records: SinkRecord[]): Promise<boolean> {
    try {
      await this.#put(records);
      return true;
    } catch (err) {
      if (err === STOPPED) return false;
      throw err;
    }
  }

  async #put(records: SinkRecord[]): Promise<void> {
    try {
      await this.#o.errant.retried(() => this.#tryPut(records));
    } catch (err) {
      if (err === STOPPED || this.#o.errant.policy.tolerance === 'none') throw err;
      // A put that hangs is an outage, not a bad record: the task fails and restarts by itself.
      if (err instanceof ConnectorTimeoutError || (err as { code?: string }).code === 'BAD_RECORD') throw err;
      if (records.length === 1) {
        await this.#o.errant.handle({ kind: 'sink', record: records[0]! }, 'TASK_PUT', err);
        return;
      }
      const half = Math.ceil(records.length / 2);
      await this.#put(records.slice(0, half));
      await this.#put(records.slice(half));
    }
  }

  /** One put, retried while it fails retriably or is fenced; its reports dealt with. */
  async #tryPut(records: SinkRecord[]): Promise<void> {
    const { task, signal, limits, logger } = this.#o;
    const backoff = new Backoff({ initialMs: limits.retryBackoffMs, maxMs: limits.maxRetryBackoffMs });
    for (;;) {
      if (signal.aborted) throw STOPPED;
      if (!this.#o.mayWrite()) {
        // Fenced: wait for the stop that follows; these records stay undelivered (not lost).
        await sleep(FENCED_WAIT_MS, signal);
        continue;
      }
      // Nothing else is in flight here: a refusal seen before belongs to an earlier try.
      this.#refusal = undefined;
      try {
        await this.#o.call('put', () => task.put(records, signal));
      } catch (err) {
        // connect-api's contract: a RetriableError (or `retriable: true`) is retried; anything
        // else is a refusal (bad records, if tolerated) or fails the task.
        if (signal.aborted) throw STOPPED;
        if (!isRetriableError(err)) throw err;
        const backoffMs = backoff.next();
        logger.warn('put failed; retrying', {
          connector: this.#o.connector,
          task: this.#o.taskId,
          error: String((err as Error).message ?? err),
          backoffMs,
        });
        await sleep(backoffMs, signal);
        continue;
      }
      await this.#settleReports();
      return;
    }
  }
}

const STOPPED = Symbol('stopped');
