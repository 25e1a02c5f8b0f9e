import type { Logger } from '@sluice/connect-api';
import { DEFAULT_MAX_MESSAGE_BYTES, isRetriable, type Producer } from '@sluice/rocketmq';
import { Backoff, BROKER_BACKOFF, sleep } from '../backoff.ts';
import { SluiceError } from '../errors.ts';
import { NO_TASK_METRICS, type TaskMetrics } from '../metrics/task-metrics.ts';
import {
  type BadRecord,
  deadLetterMessages,
  type ErrorContext,
  originOf,
  type Stage,
} from './dead-letter.ts';
import { type ErrorPolicy, errorPolicy } from './policy.ts';

/** What a task's status shows of the bad records it tolerated. */
export interface ErrantStats {
  tolerated: number;
  deadLettered: number;
  /** The reason the last one was bad. */
  lastError?: string;
}

export interface ErrantRecordsOptions {
  policy: ErrorPolicy;
  /** Writes dead-letter messages (the worker's producer). */
  producer: Producer;
  logger: Logger;
  connector: string;
  connectorClass: string;
  taskId: number;
  /** The task is stopping: a dead-letter write that is still being retried gives up. */
  signal: AbortSignal;
  /** The task's writer fence (see SendOptions.mayWrite): once it says no, nothing is written. */
  mayWrite?: () => boolean;
  /** Counts to go on with: those of the task's earlier runners (they survive its restarts). */
  stats?: ErrantStats;
  metrics?: TaskMetrics;
}

/** A dead-letter chunk leaves room for RocketMQ's per-message overhead under its limit. */
const DLQ_CHUNK_BYTES = DEFAULT_MAX_MESSAGE_BYTES - 256 * 1024;
const LOGGED_VALUE_BYTES = 1024;

/**
 * One task's handling of bad records, by the connector's `errors.*` keys. `handle` resolves
 * once a record has been dealt with (logged, dead-lettered, counted); the caller then lets its
 * position or offset move past it — never before, so a record the dead-letter topic did not
 * acknowledge is read again after a restart. It throws (code BAD_RECORD) when the record is not
 * tolerated, and the task fails with that.
 */
export class ErrantRecords {
  readonly #opts: ErrantRecordsOptions;
  readonly stats: ErrantStats;

  constructor(opts: ErrantRecordsOptions) {
    this.#opts = opts;
    this.stats = opts.stats ?? { tolerated: 0, deadLettered: 0 };
  }

  get policy(): ErrorPolicy {
    return this.#opts.policy;
  }

  async handle(bad: BadRecord, stage: Stage, error: unknown): Promise<void> {
    const { policy, connector, taskId } = this.#opts;
    const reason = error instanceof Error ? error.message : String(error);
    const metrics = this.#opts.metrics ?? NO_TASK_METRICS;
    if (policy.tolerance === 'none') {
      metrics.badRecord('failed');
      throw new SluiceError(
        'BAD_RECORD',
        `a bad record (${stage}, ${describe(bad)}) and errors.tolerance=none: ${reason}`,
        { cause: error },
      );
    }
    if (policy.log) this.#log(bad, stage, reason);
    const ctx: ErrorContext = { connector, connectorClass: this.#opts.connectorClass, taskId, stage, error };
    if (policy.deadLetterTopic) {
      try {
        await this.#deadLetter(policy.deadLetterTopic, bad, ctx);
      } catch (err) {
        // The dead-letter topic refused it: the record fails its task, and counts as failed.
        metrics.badRecord('failed');
        throw err;
      }
      this.stats.deadLettered++;
      metrics.badRecord('deadLettered');
    }
    this.stats.tolerated++;
    metrics.badRecord('tolerated');
    this.stats.lastError = `${stage}: ${reason}`;
  }

  /**
   * Runs `op` and tries it again while it fails, for `errors.retry.timeout` (waits doubling from
   * 100 ms up to `errors.retry.delay.max.ms`): the error of the last try stands.
   */
  async retried<T>(op: () => Promise<T>): Promise<T> {
    const { retryTimeoutMs, retryDelayMaxMs } = this.#opts.policy;
    const deadline = retryTimeoutMs < 0 ? Infinity : Date.now() + retryTimeoutMs;
    const backoff = new Backoff({ initialMs: Math.min(100, retryDelayMaxMs), maxMs: retryDelayMaxMs });
    for (;;) {
      try {
        return await op();
      } catch (err) {
        const wait = backoff.next();
        const bad = (err as { code?: string } | null)?.code === 'BAD_RECORD';
        if (bad || Date.now() + wait > deadline || this.#opts.signal.aborted) throw err;
        await sleep(wait, this.#opts.signal);
      }
    }
  }

  async #deadLetter(topic: string, bad: BadRecord, ctx: ErrorContext): Promise<void> {
    const { policy, producer, signal, mayWrite } = this.#opts;
    const msgs = deadLetterMessages(topic, bad, ctx, {
      contextHeaders: policy.contextHeaders,
      maxBodyBytes: DLQ_CHUNK_BYTES,
    });
    const stopped = () =>
      new SluiceError('UNAVAILABLE', 'stopped while writing to the dead-letter topic', {
        retriable: true,
      });
    const sendOpts = mayWrite ? { mayWrite } : {};
    for (const msg of msgs) {
      const backoff = new Backoff(BROKER_BACKOFF);
      for (;;) {
        if (signal.aborted) throw stopped();
        try {
          // Stored, but not as durably as the broker promises: written again (at least once).
          if ((await producer.send(msg, sendOpts)).status === 'SEND_OK') break;
        } catch (err) {
          if (mayWrite && !mayWrite()) throw stopped();
          // Away (a broker restarting) is waited out: the record's position has not moved. A
          // refusal for good fails the task: a record is never dropped because its DLQ is bad.
          if (!isRetriable(err))
            throw new SluiceError(
              'BAD_RECORD',
              `dead-letter topic ${topic} refused a bad record (${describe(bad)}): ${(err as Error).message}`,
              { cause: err },
            );
        }
        await backoff.wait(signal);
      }
    }
  }

  #log(bad: BadRecord, stage: Stage, reason: string): void {
    const { connector, taskId, policy, logger } = this.#opts;
    const fields: Record<string, unknown> = {
      connector,
      task: taskId,
      stage,
      origin: originOf(bad),
      error: reason,
    };
    if (policy.logMessages) {
      const v = bad.record.value;
      fields.record = {
        key: bad.record.key,
        headers: bad.record.headers,
        value: v
          ? Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, LOGGED_VALUE_BYTES)).toString('utf8')
          : null,
        valueBytes: v?.byteLength ?? 0,
      };
    }
    logger.error('bad record tolerated', fields);
  }
}

function describe(bad: BadRecord): string {
  if (bad.kind === 'sink') {
    const r = bad.record;
    return `${r.topic} ${r.queue.brokerName}:${r.queue.queueId} offset ${r.offset}`;
  }
  return `partition ${JSON.stringify(bad.record.sourcePartition)} position ${JSON.stringify(bad.record.sourcePosition)}`;
}

/** A task runner's handling of bad records, from what either kind of runner is given. */
export function errantRecordsFor(
  o: {
    errors?: ErrorPolicy;
    producer: Producer;
    logger: Logger;
    connector: string;
    connectorClass?: string;
    taskId: number;
    errantStats?: ErrantStats;
    metrics?: TaskMetrics;
    mayWrite?: () => boolean;
  },
  signal: AbortSignal,
): ErrantRecords {
  return new ErrantRecords({
    policy: o.errors ?? errorPolicy({}),
    producer: o.producer,
    logger: o.logger,
    connector: o.connector,
    connectorClass: o.connectorClass ?? '',
    taskId: o.taskId,
    signal,
    ...(o.mayWrite ? { mayWrite: o.mayWrite } : {}),
    ...(o.errantStats ? { stats: o.errantStats } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
  });
}
