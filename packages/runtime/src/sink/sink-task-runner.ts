import type { SinkRecord } from '@sluice/connect-api';
import { isRetriable, type MessageQueue, type PullConsumer, queueKey } from '@sluice/rocketmq';
import { sleep } from '../backoff.ts';
import { errantRecordsFor } from '../errant/errant-records.ts';
import { toSinkRecord } from '../records/message-mapping.ts';
import { TaskRunner } from '../task/task-runner.ts';
import { waitOn, wake } from '../task/waiters.ts';
import { Delivery } from './delivery.ts';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from './limits.ts';
import { startOffset, storeOffsets } from './offset-commit.ts';
import { PutPipeline } from './put-pipeline.ts';
import { QueueLag } from './queue-lag.ts';
import { QueuePuller } from './queue-puller.ts';
import type { SinkTaskRunnerOptions } from './sink-task-options.ts';

export type { SinkTaskRunnerOptions };

/**
 * Runs one sink task over its assigned queues: pull → `put` → (`flush`) → store offsets. An
 * offset is stored only after `put` and `flush` succeeded for every record before it, so a crash
 * re-delivers, never skips.
 *
 * Each queue has its own pull loop that long-polls when the queue is drained (the broker answers
 * as soon as a message arrives on that queue) and fills a buffer bounded by `maxBufferedRecords`;
 * one delivery loop hands the buffered records to `put`, each queue's in order — several puts
 * at once when the task takes them (`maxConcurrentPuts`). So the next records are pulled while
 * `put` waits, and a message on any queue is seen at once.
 */
export class SinkTaskRunner extends TaskRunner {
  readonly #opts: SinkTaskRunnerOptions;
  readonly #limits: SinkLimits;
  readonly #stop = new AbortController();
  /** Ends the pull loops: on stop, or when delivery failed. */
  readonly #fetching = new AbortController();
  /** Records pulled and not yet handed to `put`, per queue, in queue order. */
  readonly #buffers = new Map<string, SinkRecord[]>();
  #buffered = 0;
  /** The delivery loop waits here for records; pull loops wait here for room. */
  #dataWaiters: (() => void)[] = [];
  #roomWaiters: (() => void)[] = [];
  /** A pull that failed for good (not retriable): the task fails with it. */
  #pullFailure: unknown;
  /** Where the next delivery round starts taking, so that every queue gets its turn. */
  #turn = 0;
  /** Next offset to pull, per queue. */
  readonly #next = new Map<string, bigint>();
  /** Next offset whose records are all delivered (put + flush), per queue: what may be stored. */
  readonly #delivered = new Map<string, bigint>();
  readonly #paused = new Set<string>();
  #loop: Promise<void> | undefined;
  #lastCommit = 0;
  readonly #delivery: Delivery;
  readonly #puts: PutPipeline;
  /** Records delivered, for status and tests. */
  delivered = 0;
  #lag: QueueLag | undefined;

  constructor(opts: SinkTaskRunnerOptions) {
    const limits = { ...DEFAULT_SINK_LIMITS, ...opts.limits };
    super(opts.connector, opts.taskId, limits.callTimeoutMs, opts.logger, opts.metrics);
    this.#opts = opts;
    this.#limits = limits;
    const { connector, taskId, logger } = opts;
    const signal = this.#stop.signal;
    const errant = errantRecordsFor(opts, signal);
    this.errant = errant;
    this.#delivery = new Delivery({
      task: opts.task,
      limits,
      errant,
      logger,
      connector,
      taskId,
      signal,
      mayWrite: () => opts.mayWrite?.() ?? true,
      call: (what, fn) => this.call(what, fn),
    });
    this.#puts = new PutPipeline({
      delivery: this.#delivery,
      maxInFlight: Math.min(limits.maxInFlightPuts, opts.task.maxConcurrentPuts ?? 1),
      mayWrite: () => opts.mayWrite?.() ?? true,
      signal,
      failsOnRefusal: errant.policy.tolerance === 'none',
      delivered: (records, seconds) => this.#markDelivered(records, seconds),
    });
  }

  get queues(): readonly MessageQueue[] {
    return this.#opts.queues;
  }

  get consumer(): PullConsumer {
    return this.#opts.consumer;
  }

  async start(): Promise<void> {
    const { task, config, connector, taskId, logger, queues } = this.#opts;
    try {
      for (const q of queues) this.#next.set(queueKey(q), await startOffset(this.#opts, q));
      this.#lag = new QueueLag(this.#next);
      await this.call('start', () =>
        task.start(config, {
          connector,
          taskId,
          logger,
          pause: (qs) => {
            for (const q of qs) this.#paused.add(queueKey(q));
          },
          resume: (qs) => {
            for (const q of qs) this.#paused.delete(queueKey(q));
            wake(this.#roomWaiters);
            wake(this.#dataWaiters);
          },
          reportBadRecord: (record, err) => this.#delivery.report(record, err),
          ...(this.#opts.ownerHeaders ? { ownerHeaders: this.#opts.ownerHeaders } : {}),
        }),
      );
    } catch (err) {
      this.state.to('FAILED', err);
      return;
    }
    this.started();
    this.#loop = this.#run().catch((err: unknown) => {
      this.#opts.logger.error('sink task failed', { connector, task: taskId, error: String(err) });
      this.state.to('FAILED', err);
    });
  }

  async stop(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    // A failed task stays FAILED in what it reports until it is gone; anything else is STOPPING.
    if (this.state.status.state !== 'FAILED') this.state.to('STOPPING', 'the task is being stopped');
    this.#stop.abort();
    this.#fetching.abort();
    wake(this.#dataWaiters);
    wake(this.#roomWaiters);
    await this.#loop;
    if (this.state.status.state !== 'FAILED') await this.#commit().catch(() => {});
    try {
      await this.call('stop', () => this.#opts.task.stop());
    } catch (err) {
      this.#opts.logger.warn('task stop failed', { error: String(err) });
    }
    this.state.to('STOPPED', 'the task stopped');
  }

  protected lag(): ReadonlyMap<string, number> | undefined {
    return this.#lag?.view();
  }

  protected inFlight(): number {
    return this.#buffered + this.#puts.records;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    const pulling = this.#opts.queues.map((q) => this.#pullLoop(q));
    try {
      while (!signal.aborted) {
        if (this.#pullFailure !== undefined) throw this.#pullFailure;
        // Only full batches overlap: a partial one waits for the oldest put, and fills meanwhile.
        const max = this.#limits.maxPutRecords;
        const batch = this.#puts.records > 0 && this.#buffered < max ? [] : this.#take(max);
        if (batch.length > 0) {
          // Stopping: records not written stay undelivered (not lost); their offsets stay.
          await this.#puts.submit(batch);
          wake(this.#roomWaiters);
        } else if (this.#puts.records > 0) {
          await this.#puts.settleOldest();
        } else {
          // Wake for records, or now and then for the commit timer and a resume.
          await waitOn(this.#dataWaiters, 200);
        }
        if (Date.now() - this.#lastCommit >= this.#limits.commitIntervalMs) await this.#commit();
      }
      // Stopping: what the puts in flight write counts, up to the first that did not finish.
      await this.#puts.drain();
    } finally {
      await this.#puts.abandon();
      this.#fetching.abort();
      wake(this.#roomWaiters);
      await Promise.all(pulling);
    }
  }

  /** Up to `max` buffered records, each queue's in order; none while paused. */
  #take(max: number): SinkRecord[] {
    if (this.#buffered === 0 || this.state.status.state === 'PAUSED') return [];
    const keys = [...this.#buffers.keys()];
    const out: SinkRecord[] = [];
    for (let i = 0; i < keys.length && out.length < max; i++) {
      const key = keys[(this.#turn + i) % keys.length]!;
      if (this.#paused.has(key)) continue;
      const buffer = this.#buffers.get(key)!;
      const taken = buffer.splice(0, max - out.length);
      for (const r of taken) out.push(r);
      this.#buffered -= taken.length;
    }
    this.#turn++;
    return out;
  }

  /** Pulls one queue into its buffer until stopped, long-polling when the queue is drained. */
  async #pullLoop(q: MessageQueue): Promise<void> {
    const key = queueKey(q);
    const buffer: SinkRecord[] = [];
    this.#buffers.set(key, buffer);
    const signal = this.#fetching.signal;
    const { pullBatchSize: batch, pullsAhead: ahead } = this.#limits;
    const puller = new QueuePuller({ consumer: this.#opts.consumer, queue: q, batch, ahead, signal });
    while (!signal.aborted) {
      const held =
        this.state.status.state === 'PAUSED' ||
        this.#paused.has(key) ||
        this.#buffered >= this.#limits.maxBufferedRecords;
      if (held) {
        await waitOn(this.#roomWaiters, 200);
        continue;
      }
      let records: SinkRecord[];
      try {
        records = await this.#pull(q, puller);
      } catch (err) {
        this.#pullFailure ??= err;
        this.#fetching.abort();
        wake(this.#dataWaiters);
        return;
      }
      if (records.length === 0 || signal.aborted) continue;
      for (const r of records) buffer.push(r);
      this.#buffered += records.length;
      wake(this.#dataWaiters);
    }
  }

  async #pull(q: MessageQueue, puller: QueuePuller): Promise<SinkRecord[]> {
    const key = queueKey(q);
    const offset = this.#next.get(key)!;
    try {
      const r = await puller.pull(offset, this.#limits.idlePollMs);
      if (r.status === 'OFFSET_ILLEGAL') await this.#offsetIllegal(q, offset, r.nextBeginOffset);
      this.#next.set(key, r.nextBeginOffset);
      this.#lag?.pulled(key, r.maxOffset);
      if (r.messages.length > 0) this.metrics.read(r.messages.length);
      return r.messages.map((m) => toSinkRecord(q, m));
    } catch (err) {
      if (this.#fetching.signal.aborted) return [];
      if (!isRetriable(err)) throw err;
      await sleep(this.#limits.retryBackoffMs, this.#fetching.signal);
      return [];
    }
  }

  /**
   * Our offset is outside the queue: older than what the broker keeps (that data is gone), or
   * past its end (the broker lost data). Reading goes on where the broker points; in the second
   * case the stored offset goes back too, or a restart would skip what is stored there next.
   */
  async #offsetIllegal(q: MessageQueue, from: bigint, to: bigint): Promise<void> {
    const queue = queueKey(q);
    this.#opts.logger.warn('offset out of range; moving on', { queue, from: String(from), to: String(to) });
    if (to >= from) return;
    this.#delivered.delete(queue);
    this.#lag?.committed(queue, to);
    await this.#opts.offsets
      .reset(this.#opts.group, new Map([[q, to]]))
      .catch((err: unknown) =>
        this.#opts.logger.warn('lowered offset not stored', { queue, error: String(err) }),
      );
    await this.#opts.consumer.commitOffset(q, to).catch(() => {});
  }

  /** Called in the order the batches were taken, once each is written (with all before it). */
  #markDelivered(records: SinkRecord[], seconds: number): void {
    this.metrics.put(records.length, seconds);
    // A batch holds a few queues' runs of records: one key per run, not one per record.
    let last: SinkRecord | undefined;
    for (const r of records) {
      if (last && r.queue !== last.queue) this.#deliveredUpTo(last);
      last = r;
    }
    if (last) this.#deliveredUpTo(last);
    this.delivered += records.length;
  }

  #deliveredUpTo(r: SinkRecord): void {
    this.#delivered.set(queueKey(r.queue), r.offset + 1n);
    this.usedTopic(r.queue.topic);
  }

  async #commit(): Promise<void> {
    this.#lastCommit = Date.now();
    if (this.#delivered.size === 0) return;
    const byQueue = await storeOffsets(this.#opts, new Map(this.#delivered), this.metrics, (what, fn) =>
      this.call(what, fn),
    );
    for (const [q, o] of byQueue) this.#lag?.committed(queueKey(q), o);
  }
}
