import {
  type ConnectorConfig,
  isEndOfInput,
  isRetriableError,
  type Logger,
  type SourceRecord,
  type SourceTask,
} from '@sluice/connect-api';
import type { MessageQueue, Producer, SendResult } from '@sluice/rocketmq';
import { Backoff, sleep } from '../backoff.ts';
import { type ErrantStats, errantRecordsFor } from '../errant/errant-records.ts';
import type { ErrorPolicy } from '../errant/policy.ts';
import type { TaskMetrics } from '../metrics/task-metrics.ts';
import type { PositionStore } from '../stores/position-store.ts';
import { TaskRunner } from '../task/task-runner.ts';
import { DEFAULT_SOURCE_LIMITS, ROUTE_REFRESH_MS, type SourceLimits } from './limits.ts';
import { callCommitRecord, type OrderPolicy, Outbox } from './outbox.ts';
import { PositionCommits } from './position-commits.ts';
import { PositionTracker } from './position-tracker.ts';
import type { Outgoing } from './queue-sender.ts';

export interface SourceTaskRunnerOptions {
  connector: string;
  taskId: number;
  task: SourceTask;
  config: ConnectorConfig;
  producer: Producer;
  positions: PositionStore;
  logger: Logger;
  limits?: Partial<SourceLimits>;
  /**
   * The writer fence, asked before every batch is sent: in a cluster, whether this worker still
   * holds its lease. Once it says no, nothing more is sent (the task is about to be stopped).
   */
  mayWrite?: () => boolean;
  /** Who writes: added to every message sent (undefined: the worker's ownerHeaders is off). */
  ownerHeaders?: Readonly<Record<string, string>>;
  /** What to do with bad records (the connector's errors.* keys; default: fail the task). */
  errors?: ErrorPolicy;
  /** The connector's class name, for dead-letter context. */
  connectorClass?: string;
  /** Bad-record counts of the task's earlier runners, to go on with. */
  errantStats?: ErrantStats;
  /** `rocketmq.order`: whether a key's records wait for their queue's master (default key). */
  order?: OrderPolicy;
  /** How often topic routes are read again (default 30 s). */
  routeRefreshMs?: number;
  /** Where the task's counts and timings go (default: nowhere). */
  metrics?: TaskMetrics;
}

/**
 * Runs one source task: poll → send to RocketMQ (batched per queue, pipelined across queues,
 * bounded in flight) → store a partition's position once every earlier record of it was
 * acknowledged; periodically and on stop.
 */
export class SourceTaskRunner extends TaskRunner {
  readonly #opts: SourceTaskRunnerOptions;
  readonly #limits: SourceLimits;
  readonly #tracker = new PositionTracker();
  readonly #outbox: Outbox;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  readonly #commits: PositionCommits;
  #fatal: unknown;
  /** Set when a stop's grace period ended: senders give up what they still hold. */
  #halted = false;
  #ackWaiters: (() => void)[] = [];
  /** Records acknowledged by RocketMQ, for status and tests. */
  acknowledged = 0;
  /** Body bytes of the records sent and not yet acknowledged. */
  #inFlightBytes = 0;
  /** The most body bytes ever in flight, for tests of the limit. */
  peakInFlightBytes = 0;

  constructor(opts: SourceTaskRunnerOptions) {
    const limits = { ...DEFAULT_SOURCE_LIMITS, ...opts.limits };
    super(opts.connector, opts.taskId, limits.callTimeoutMs, opts.logger, opts.metrics);
    this.#opts = opts;
    this.#limits = limits;
    this.errant = errantRecordsFor(opts, this.#stop.signal);
    this.#commits = new PositionCommits({
      ...opts,
      tracker: this.#tracker,
      metrics: this.metrics,
      hook: () => this.call('commit', async () => opts.task.commit?.()),
    });
    this.#outbox = new Outbox(
      opts.producer,
      limits,
      opts.ownerHeaders,
      {
        stopped: () => this.#fatal !== undefined || this.#halted || !this.#mayWrite(),
        onAck: (items, result, queue, seconds) => this.#acked(items, result, queue, seconds),
        onRefused: (item, err) => this.#bad(item, 'ROCKETMQ_PRODUCE', err),
        retryRefused: (op) => this.errant!.retried(op),
        onFatal: (err) => this.#fail(err),
        onNotDurable: (status, queue) =>
          opts.logger.warn('the broker did not store a batch as durably as it promises: sending it again', {
            ...{ connector: opts.connector, task: opts.taskId, queue, status },
          }),
      },
      { order: opts.order ?? 'key', routeRefreshMs: opts.routeRefreshMs ?? ROUTE_REFRESH_MS },
    );
  }

  async start(): Promise<void> {
    const { task, config, connector, taskId, logger, positions } = this.#opts;
    try {
      await this.call('start', () =>
        task.start(config, {
          connector,
          taskId,
          logger,
          position: async (partition) => positions.get(connector, partition),
          reportBadRecord: (record, err) => this.#reported(record, err),
        }),
      );
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.started();
    this.#commits.every(this.#limits.commitIntervalMs);
    this.#loop = this.#run();
  }

  /** Polling resumes; sends in flight finished meanwhile and positions kept being stored. */
  override resume(): boolean {
    const ok = super.resume();
    for (const w of this.#ackWaiters.splice(0)) w();
    return ok;
  }

  /** Stores every position that may be stored now. */
  commit(): Promise<void> {
    return this.#commits.commit();
  }

  /** Graceful stop: no more polls, in-flight sends finish (bounded), final commit, task.stop(). */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#stop.signal.aborted) return;
    // A failed task stays FAILED in what it reports until it is gone; anything else is STOPPING.
    if (this.state.status.state !== 'FAILED') this.state.to('STOPPING', 'the task is being stopped');
    this.#stop.abort();
    this.#commits.stopTimer();
    // A poll loop held at the in-flight limit waits for acks that may never come (broker away).
    for (const w of this.#ackWaiters.splice(0)) w();
    await this.#loop?.catch(() => {});
    await Promise.race([this.#outbox.idle(), new Promise((r) => setTimeout(r, graceMs))]);
    // What is not sent by now never will be from here: its position was not stored, so whoever
    // runs the task next sends it again. A sender retrying after this would write behind them.
    this.#halted = true;
    await this.commit();
    try {
      await this.call('stop', () => this.#opts.task.stop());
    } catch (err) {
      this.#opts.logger.warn('task stop failed', { error: String(err) });
    }
    this.state.to('STOPPED', 'the task stopped');
  }

  async #run(): Promise<void> {
    const { task } = this.#opts;
    const signal = this.#stop.signal;
    const pollBackoff = new Backoff({
      initialMs: this.#limits.retryBackoffMs,
      maxMs: this.#limits.maxRetryBackoffMs,
    });
    while (!signal.aborted && this.#fatal === undefined) {
      if (this.state.status.state === 'PAUSED') {
        await new Promise<void>((r) => {
          this.#ackWaiters.push(r);
          setTimeout(r, 200);
        });
        continue;
      }
      if (
        this.#tracker.inFlight >= this.#limits.maxInFlightRecords ||
        this.#inFlightBytes >= this.#limits.maxInFlightBytes
      ) {
        await new Promise<void>((r) => this.#ackWaiters.push(r));
        continue;
      }
      let records: SourceRecord[];
      try {
        records = await this.call('poll', () => task.poll(signal));
        pollBackoff.reset();
        if (records.length > 0) this.metrics.polled(records.length);
      } catch (err) {
        if (signal.aborted) break;
        if (isEndOfInput(err)) return this.#finish();
        if (!isRetriableError(err)) {
          this.#fail(err);
          return;
        }
        const backoffMs = pollBackoff.next();
        this.#opts.logger.warn('poll failed; polling again', {
          connector: this.connector,
          task: this.taskId,
          error: String((err as Error).message ?? err),
          backoffMs,
        });
        await sleep(backoffMs, signal);
        continue;
      }
      for (const record of records) {
        const seq = this.#tracker.submit(record.sourcePartition, record.sourcePosition);
        const bytes = record.value?.byteLength ?? 0;
        this.#inFlightBytes += bytes;
        if (this.#inFlightBytes > this.peakInFlightBytes) this.peakInFlightBytes = this.#inFlightBytes;
        try {
          const routed = this.#outbox.send({ record, seq, bytes });
          if (routed) await routed;
        } catch (err) {
          this.#fail(err);
          return;
        }
      }
    }
    if (this.#fatal !== undefined) this.state.to('FAILED', this.#fatal);
  }

  #acked(items: Outgoing[], result: SendResult, queue: MessageQueue, seconds: number): void {
    for (const item of items) this.#done(item);
    this.metrics.written(items.length, seconds);
    this.acknowledged += items.length;
    this.usedTopic(queue.topic);
    const { task, logger } = this.#opts;
    if (task.commitRecord) callCommitRecord(task, items, result, queue, logger);
    for (const w of this.#ackWaiters.splice(0)) w();
  }

  /** A record is dealt with (stored, or tolerated as bad): its position may move past it. */
  #done(item: Outgoing): void {
    this.#tracker.ack(item.seq);
    this.#inFlightBytes -= item.bytes;
  }

  /** A bad record, by the errors.* policy: true once tolerated, false when the task failed. */
  async #bad(item: Outgoing, stage: 'ROCKETMQ_PRODUCE' | 'TASK_POLL', err: unknown): Promise<boolean> {
    try {
      await this.errant!.handle({ kind: 'source', record: item.record }, stage, err);
    } catch (e) {
      // Stopping: the record stays unacknowledged, and whoever runs the task next reads it again.
      if (!this.#stop.signal.aborted) this.#fail(e);
      return false;
    }
    this.#done(item);
    for (const w of this.#ackWaiters.splice(0)) w();
    return true;
  }

  /** The task's own report of a bad record: it takes its place among the records read. */
  async #reported(record: SourceRecord, err: Error): Promise<void> {
    const seq = this.#tracker.submit(record.sourcePartition, record.sourcePosition);
    await this.#bad({ record, seq, bytes: 0 }, 'TASK_POLL', err);
  }

  protected lag(): ReadonlyMap<string, number> | undefined {
    return this.#opts.task.lag?.();
  }

  protected inFlight(): number {
    return this.#tracker.inFlight;
  }

  #mayWrite(): boolean {
    return this.#opts.mayWrite?.() ?? true;
  }

  /** The input is done: what was polled goes out, positions are stored, and the task ends. */
  async #finish(): Promise<void> {
    await this.#outbox.idle();
    await this.commit();
    this.#commits.stopTimer();
    this.#opts.logger.info('source task reached the end of its input', {
      connector: this.connector,
      task: this.taskId,
    });
    this.state.to('STOPPED', 'the end of its input');
  }

  #fail(err: unknown): void {
    if (this.#fatal !== undefined) return;
    this.#fatal = err;
    this.#opts.logger.error('source task failed', {
      connector: this.connector,
      task: this.taskId,
      error: String(err),
    });
    this.#commits.stopTimer();
    this.state.to('FAILED', err);
    for (const w of this.#ackWaiters.splice(0)) w();
    // What was acknowledged before the failure, or is while sends in flight end, is stored.
    void this.#outbox.idle().then(() => this.commit());
  }
}
