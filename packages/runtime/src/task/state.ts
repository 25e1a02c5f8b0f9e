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
/** A change of state: where from, and why (an error's message for FAILED). */
export interface StateChange {
  from: TaskState;
  cause: string | undefined;
}

export class TaskStateMachine {
  #status: TaskStatus = { state: 'UNASSIGNED' };
  /** What the task failed with, for the decision to restart it. */
  failure: unknown;
  readonly #listeners: ((s: TaskStatus, change: StateChange) => void)[] = [];

  get status(): TaskStatus {
    return this.#status;
  }

  onChange(listener: (s: TaskStatus, change: StateChange) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Returns false (and changes nothing) when the transition is not allowed. `cause`: for FAILED
   * the error, else why (for the log).
   */
  to(state: TaskState, cause?: unknown): boolean {
    const from = this.#status.state;
    if (!ALLOWED[from].includes(state)) return false;
    this.#status = state === 'FAILED' ? { state, trace: traceOf(cause) } : { state };
    if (state === 'FAILED') this.failure = cause;
    const why = cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);
    for (const l of this.#listeners) l(this.#status, { from, cause: why });
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
