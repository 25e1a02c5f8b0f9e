import {
  type ConnectorConfig,
  isEndOfInput,
  isRetriableError,
  type Logger,
  type SourceRecord,
  type SourceTask,
} from '@sluice/connect-api';
import { javaHashCode, type MessageQueue, type Producer, queueKey } from '@sluice/rocketmq';
import { Backoff, sleep } from '../backoff.ts';
import type { PositionStore } from '../stores/position-store.ts';
import { TaskRunner } from '../task/task-runner.ts';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from './limits.ts';
import { PositionTracker } from './position-tracker.ts';
import { QueueSender } from './queue-sender.ts';

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
  readonly #senders = new Map<string, QueueSender>();
  readonly #queues = new Map<string, MessageQueue[]>();
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #commitTimer: NodeJS.Timeout | undefined;
  #committing: Promise<void> = Promise.resolve();
  #fatal: unknown;
  /** Set when a stop's grace period ended: senders give up what they still hold. */
  #halted = false;
  #ackWaiters: (() => void)[] = [];
  #roundRobin = 0;
  /** Records acknowledged by RocketMQ, for status and tests. */
  acknowledged = 0;
  /** Body bytes of the records sent and not yet acknowledged. */
  #inFlightBytes = 0;
  /** The most body bytes ever in flight, for tests of the limit. */
  peakInFlightBytes = 0;

  constructor(opts: SourceTaskRunnerOptions) {
    const limits = { ...DEFAULT_SOURCE_LIMITS, ...opts.limits };
    super(opts.connector, opts.taskId, limits.callTimeoutMs);
    this.#opts = opts;
    this.#limits = limits;
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
          reportBadRecord: (_record, err) => logger.error('bad record', { error: String(err) }),
        }),
      );
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.started();
    this.#commitTimer = setInterval(() => void this.commit(), this.#limits.commitIntervalMs);
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
    this.#committing = this.#committing.then(async () => {
      const entries = this.#tracker.takeCommittable();
      if (entries.length === 0) return;
      try {
        await this.#opts.positions.put(this.connector, entries);
      } catch (err) {
        this.#tracker.restore(entries);
        this.#opts.logger.warn('storing source positions failed; will retry', { error: String(err) });
        return;
      }
      try {
        await this.call('commit', () => this.#opts.task.commit?.());
      } catch (err) {
        this.#opts.logger.warn('task commit hook failed', { error: String(err) });
      }
    });
    return this.#committing;
  }

  /** Graceful stop: no more polls, in-flight sends finish (bounded), final commit, task.stop(). */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#stop.signal.aborted) return;
    // A failed task stays FAILED in what it reports until it is gone; anything else is STOPPING.
    if (this.state.status.state !== 'FAILED') this.state.to('STOPPING');
    this.#stop.abort();
    clearInterval(this.#commitTimer);
    await this.#loop?.catch(() => {});
    const drained = Promise.all([...this.#senders.values()].map((s) => s.idle()));
    await Promise.race([drained, new Promise((r) => setTimeout(r, graceMs))]);
    // What is not sent by now never will be from here: its position was not stored, so whoever
    // runs the task next sends it again. A sender retrying after this would write behind them.
    this.#halted = true;
    await this.commit();
    try {
      await this.call('stop', () => this.#opts.task.stop());
    } catch (err) {
      this.#opts.logger.warn('task stop failed', { error: String(err) });
    }
    this.state.to('STOPPED');
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
          // Known topics need no await: one microtask per record is measurable at 100k/s.
          const queue = this.#cachedQueueFor(record) ?? (await this.#queueFor(record));
          this.#sender(queue).enqueue({ record, seq, bytes });
        } catch (err) {
          this.#fail(err);
          return;
        }
      }
    }
    if (this.#fatal !== undefined) this.state.to('FAILED', this.#fatal);
  }

  async #queueFor(record: SourceRecord): Promise<MessageQueue> {
    const queues = await this.#opts.producer.queues(record.topic);
    if (queues.length === 0) throw new Error(`topic ${record.topic} has no writable queue`);
    this.#queues.set(record.topic, queues);
    return this.#cachedQueueFor(record)!;
  }

  #cachedQueueFor(record: SourceRecord): MessageQueue | undefined {
    const queues = this.#queues.get(record.topic);
    if (!queues) return undefined;
    // Same key, same queue: the order of a key's records holds end to end.
    const index =
      record.key !== undefined
        ? Math.abs(javaHashCode(record.key) % queues.length)
        : this.#roundRobin++ % queues.length;
    return queues[index]!;
  }

  #sender(queue: MessageQueue): QueueSender {
    const key = queueKey(queue);
    let sender = this.#senders.get(key);
    if (!sender) {
      sender = new QueueSender(queue, this.#opts.producer, {
        ...this.#limits,
        backoff: { initialMs: this.#limits.retryBackoffMs, maxMs: this.#limits.maxRetryBackoffMs },
        stopped: () => this.#fatal !== undefined || this.#halted || !this.#mayWrite(),
        ownerHeaders: this.#opts.ownerHeaders,
        onNotDurable: (status) =>
          this.#opts.logger.warn(
            'the broker did not store a batch as durably as it promises: sending it again',
            {
              connector: this.#opts.connector,
              task: this.#opts.taskId,
              queue: key,
              status,
            },
          ),
        onAck: (items, result) => {
          for (const [i, item] of items.entries()) {
            this.#tracker.ack(item.seq);
            this.#inFlightBytes -= item.bytes;
            this.acknowledged++;
            const hook = this.#opts.task.commitRecord;
            if (hook) {
              const msgIds = result.msgId.split(',');
              void Promise.resolve()
                .then(() =>
                  hook.call(this.#opts.task, item.record, {
                    msgId: msgIds[i] ?? result.msgId,
                    queue,
                    offset: result.queueOffset + BigInt(i),
                  }),
                )
                .catch((err: unknown) =>
                  this.#opts.logger.warn('commitRecord failed', { error: String(err) }),
                );
            }
          }
          for (const w of this.#ackWaiters.splice(0)) w();
        },
        onFatal: (err) => this.#fail(err),
      });
      this.#senders.set(key, sender);
    }
    return sender;
  }

  #mayWrite(): boolean {
    return this.#opts.mayWrite?.() ?? true;
  }

  /** The input is done: what was polled goes out, positions are stored, and the task ends. */
  async #finish(): Promise<void> {
    await Promise.all([...this.#senders.values()].map((s) => s.idle()));
    await this.commit();
    clearInterval(this.#commitTimer);
    this.#opts.logger.info('source task reached the end of its input', {
      connector: this.connector,
      task: this.taskId,
    });
    this.state.to('STOPPED');
  }

  #fail(err: unknown): void {
    if (this.#fatal !== undefined) return;
    this.#fatal = err;
    this.#opts.logger.error('source task failed', {
      connector: this.connector,
      task: this.taskId,
      error: String(err),
    });
    clearInterval(this.#commitTimer);
    this.state.to('FAILED', err);
    for (const w of this.#ackWaiters.splice(0)) w();
    // What was acknowledged before the failure may still be stored.
    void this.commit();
  }
}
