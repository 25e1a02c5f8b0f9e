import type { ConnectorConfig, Logger, SinkRecord, SinkTask } from '@sluice/connect-api';
import { isRetriable, type MessageQueue, type PullConsumer, queueKey } from '@sluice/rocketmq';
import type { OffsetStore } from '../stores/offset-store.ts';
import { TaskRunner } from '../task/task-runner.ts';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from './limits.ts';
import { toSinkRecord } from './to-sink-record.ts';

export interface SinkTaskRunnerOptions {
  connector: string;
  taskId: number;
  task: SinkTask;
  config: ConnectorConfig;
  consumer: PullConsumer;
  /** The consumer group whose offsets this task keeps. */
  group: string;
  queues: readonly MessageQueue[];
  offsets: OffsetStore;
  logger: Logger;
  limits?: Partial<SinkLimits>;
}

/**
 * Runs one sink task over its assigned queues: pull → `put` → (`flush`) → store offsets. An
 * offset is stored only after `put` and `flush` succeeded for every record before it, so a crash
 * re-delivers, never skips.
 */
export class SinkTaskRunner extends TaskRunner {
  readonly #opts: SinkTaskRunnerOptions;
  readonly #limits: SinkLimits;
  readonly #stop = new AbortController();
  /** Next offset to pull, per queue. */
  readonly #next = new Map<string, bigint>();
  /** Next offset whose records are all delivered (put + flush), per queue: what may be stored. */
  readonly #delivered = new Map<string, bigint>();
  readonly #paused = new Set<string>();
  #loop: Promise<void> | undefined;
  #lastCommit = 0;
  /** Records delivered, for status and tests. */
  delivered = 0;

  constructor(opts: SinkTaskRunnerOptions) {
    const limits = { ...DEFAULT_SINK_LIMITS, ...opts.limits };
    super(opts.connector, opts.taskId, limits.callTimeoutMs);
    this.#opts = opts;
    this.#limits = limits;
  }

  /** The queues this task owns. */
  get queues(): readonly MessageQueue[] {
    return this.#opts.queues;
  }

  get consumer(): PullConsumer {
    return this.#opts.consumer;
  }

  async start(): Promise<void> {
    const { task, config, connector, taskId, logger, queues } = this.#opts;
    try {
      for (const q of queues) this.#next.set(queueKey(q), await this.#startOffset(q));
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
          },
          reportBadRecord: (_record, err) => logger.error('bad record', { error: String(err) }),
        }),
      );
    } catch (err) {
      this.state.to('FAILED', err);
      return;
    }
    this.state.to('RUNNING');
    this.#loop = this.#run().catch((err: unknown) => {
      this.#opts.logger.error('sink task failed', { connector, task: taskId, error: String(err) });
      this.state.to('FAILED', err);
    });
  }

  async stop(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    await this.#loop;
    if (this.state.status.state !== 'FAILED') await this.#commit().catch(() => {});
    try {
      await this.call('stop', () => this.#opts.task.stop());
    } catch (err) {
      this.#opts.logger.warn('task stop failed', { error: String(err) });
    }
    this.state.to('STOPPED');
  }

  /** Stored offset, else the group's offset in the broker, else the queue's first message. */
  async #startOffset(q: MessageQueue): Promise<bigint> {
    const stored = this.#opts.offsets.get(this.#opts.group, q);
    if (stored !== undefined) return stored;
    const committed = await this.#opts.consumer.committedOffset(q).catch(() => undefined);
    return committed ?? (await this.#opts.consumer.minOffset(q));
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      const batch: SinkRecord[] = [];
      const paused = this.state.status.state === 'PAUSED';
      const active = paused ? [] : this.#opts.queues.filter((q) => !this.#paused.has(queueKey(q)));
      const pulls = await Promise.all(active.map((q) => this.#pull(q, 0)));
      for (const records of pulls) batch.push(...records);
      if (batch.length === 0 && active.length > 0 && !signal.aborted) {
        // Everything drained: wait on one queue with long polling rather than spin.
        const q = active[Math.floor(Math.random() * active.length)]!;
        batch.push(...(await this.#pull(q, this.#limits.idlePollMs)));
      } else if (active.length === 0) {
        await new Promise((r) => setTimeout(r, 100));
      }
      if (batch.length > 0) await this.#deliver(batch);
      if (Date.now() - this.#lastCommit >= this.#limits.commitIntervalMs) await this.#commit();
    }
  }

  async #pull(q: MessageQueue, suspendMs: number): Promise<SinkRecord[]> {
    const key = queueKey(q);
    const offset = this.#next.get(key)!;
    try {
      const r = await this.#opts.consumer.pull(q, offset, {
        maxMessages: this.#limits.pullBatchSize,
        suspendMs,
        // A long poll ends at once on stop (the broker may hold it ~5 s); nothing was consumed.
        ...(suspendMs > 0 ? { signal: this.#stop.signal } : {}),
      });
      if (r.status === 'OFFSET_ILLEGAL') {
        // Our offset is outside the queue: older than what the broker keeps (the data is gone) or
        // beyond its end (the broker lost data). Either way, continue where the broker points.
        this.#opts.logger.warn('offset out of range; moving on', {
          queue: key,
          from: String(offset),
          to: String(r.nextBeginOffset),
        });
      }
      this.#next.set(key, r.nextBeginOffset);
      return r.messages.map((m) => toSinkRecord(q, m));
    } catch (err) {
      if (this.#stop.signal.aborted) return [];
      if (!isRetriable(err)) throw err;
      await new Promise((r) => setTimeout(r, this.#limits.retryBackoffMs));
      return [];
    }
  }

  async #deliver(records: SinkRecord[]): Promise<void> {
    const { task } = this.#opts;
    let backoff = this.#limits.retryBackoffMs;
    for (let i = 0; i < records.length; i += this.#limits.maxPutRecords) {
      const chunk = records.slice(i, i + this.#limits.maxPutRecords);
      for (;;) {
        try {
          await this.call('put', () => task.put(chunk, this.#stop.signal));
          break;
        } catch (err) {
          // A connector may mark an error retriable (`retriable: true`); anything else fails the task.
          if (!(err as { retriable?: boolean })?.retriable || this.#stop.signal.aborted) throw err;
          this.#opts.logger.warn('put failed; retrying', {
            connector: this.#opts.connector,
            task: this.#opts.taskId,
            error: String((err as Error).message ?? err),
            backoffMs: backoff,
          });
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, this.#limits.maxRetryBackoffMs);
        }
      }
      for (const r of chunk) this.#delivered.set(queueKey(r.queue), r.offset + 1n);
      this.delivered += chunk.length;
    }
  }

  async #commit(): Promise<void> {
    this.#lastCommit = Date.now();
    if (this.#delivered.size === 0) return;
    const { task, offsets, group, consumer } = this.#opts;
    let toStore: ReadonlyMap<string, bigint> = new Map(this.#delivered);
    await this.call('flush', () => task.flush?.(toStore));
    if (task.preCommit) toStore = await this.call('preCommit', () => task.preCommit!(toStore));
    const byQueue = new Map<MessageQueue, bigint>();
    for (const q of this.#opts.queues) {
      const o = toStore.get(queueKey(q));
      if (o !== undefined) byQueue.set(q, o);
    }
    try {
      await offsets.advance(group, byQueue);
    } catch (err) {
      // A store that is away (broker restarting, lease lost) delays the commit: the delivered
      // offsets stay in memory and go with the next one. A failing flush, by contrast, fails.
      this.#opts.logger.warn('storing sink offsets failed; will retry', {
        connector: this.#opts.connector,
        task: this.#opts.taskId,
        error: String(err),
      });
      return;
    }
    // The broker's copy is for tools (consumer progress); the local store is authoritative.
    await Promise.all([...byQueue].map(([q, o]) => consumer.commitOffset(q, o).catch(() => {})));
  }
}
