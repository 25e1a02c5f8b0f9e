import type { TaskState } from '../task/state.ts';

/** What a running task shows when metrics are read: its state, lag and records in flight. */
export interface LiveTask {
  state(): TaskState;
  /** Records not yet read, per source partition or sink queue (label → count); none when unknown. */
  lag(): ReadonlyMap<string, number> | undefined;
  /** Source: records sent and not yet acknowledged. Sink: records pulled and not yet put. */
  inFlight(): number;
}

/** How a bad record ended: failed the task, or tolerated (and maybe dead-lettered). */
export type BadRecordOutcome = 'failed' | 'tolerated' | 'deadLettered';

/**
 * What a task runner records as records move. Calls are per batch, never per record: a runner
 * counts a batch once, so metrics cost next to nothing at full speed.
 */
export interface TaskMetrics {
  /** Source: records a poll returned. */
  polled(records: number): void;
  /** Source: a batch RocketMQ acknowledged, and how long its send took. */
  written(records: number, seconds: number): void;
  /** Sink: records pulled from RocketMQ. */
  read(records: number): void;
  /** Sink: a batch `put` accepted, and how long it took. */
  put(records: number, seconds: number): void;
  /** A bad record: each counts once as an error, then by how it ended. */
  badRecord(outcome: BadRecordOutcome): void;
  /** A commit of positions (source) or offsets (sink): how long, and whether it was stored. */
  committed(seconds: number, ok: boolean): void;
  /** The task's runner is up: its state and lag are read from `view` until `untrack`. */
  track(view: LiveTask): void;
  untrack(): void;
}

/** For runners made without a worker (tests, tools): records nothing. */
export const NO_TASK_METRICS: TaskMetrics = {
  polled() {},
  written() {},
  read() {},
  put() {},
  badRecord() {},
  committed() {},
  track() {},
  untrack() {},
};

/** Seconds since `startNs` (a process.hrtime.bigint()), for the latency histograms. */
export function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/** Runs one commit of positions or offsets, recording its time and whether it was stored. */
export async function timedCommit<T>(metrics: TaskMetrics, commit: () => Promise<T>): Promise<T> {
  const began = process.hrtime.bigint();
  try {
    const done = await commit();
    metrics.committed(secondsSince(began), true);
    return done;
  } catch (err) {
    metrics.committed(secondsSince(began), false);
    throw err;
  }
}
