/**
 * Explicit task states, as the status routes show them. STOPPING lasts until the task has really
 * stopped (sends drained, final commit, task.stop): in a cluster the next owner of the task
 * waits for it, so one task never runs on two workers.
 */
export type TaskState =
  | 'UNASSIGNED'
  | 'RUNNING'
  | 'PAUSED'
  | 'FAILED'
  | 'RESTARTING'
  | 'STOPPING'
  | 'STOPPED';

export interface TaskStatus {
  state: TaskState;
  /** The error and its stack when FAILED. */
  trace?: string;
  /** Bad records this task tolerated (errors.tolerance=all), once there are any. */
  errors?: { tolerated: number; deadLettered: number; lastError?: string };
  /** RESTARTING: the failed task's automatic restart (the how-manieth, and when). */
  restart?: { attempt: number; nextAt: string };
  /** Topics the task wrote (source) or read (sink) records of, with when it last did (ms). */
  topics?: Record<string, number>;
}

const ALLOWED: Readonly<Record<TaskState, readonly TaskState[]>> = {
  UNASSIGNED: ['RUNNING', 'FAILED', 'STOPPING', 'STOPPED'],
  RUNNING: ['PAUSED', 'FAILED', 'STOPPING', 'STOPPED'],
  PAUSED: ['RUNNING', 'FAILED', 'STOPPING', 'STOPPED'],
  FAILED: ['STOPPING', 'STOPPED'],
  // Shown, never entered: a FAILED task whose automatic restart is pending (task-healer.ts).
  RESTARTING: [],
  STOPPING: ['STOPPED'],
  STOPPED: [],
};

/** Moves between states, refusing transitions that make no sense (e.g. out of STOPPED). */
export class TaskStateMachine {
  #status: TaskStatus = { state: 'UNASSIGNED' };
  /** What the task failed with, for the decision to restart it. */
  failure: unknown;
  readonly #listeners: ((s: TaskStatus) => void)[] = [];

  get status(): TaskStatus {
    return this.#status;
  }

  onChange(listener: (s: TaskStatus) => void): void {
    this.#listeners.push(listener);
  }

  /** Returns false (and changes nothing) when the transition is not allowed. */
  to(state: TaskState, err?: unknown): boolean {
    if (!ALLOWED[this.#status.state].includes(state)) return false;
    this.#status = state === 'FAILED' ? { state, trace: traceOf(err) } : { state };
    if (state === 'FAILED') this.failure = err;
    for (const l of this.#listeners) l(this.#status);
    return true;
  }
}

export function traceOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `\nCaused by: ${traceOf(err.cause)}` : '';
    return `${err.stack ?? `${err.name}: ${err.message}`}${cause}`;
  }
  return String(err);
}
