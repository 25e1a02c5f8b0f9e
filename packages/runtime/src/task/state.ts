/**
 * Explicit task states, as the status routes show them. STOPPING lasts until the task has really
 * stopped (sends drained, final commit, task.stop): in a cluster the next owner of the task
 * waits for it, so one task never runs on two workers.
 */
export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPING' | 'STOPPED';

export interface TaskStatus {
  state: TaskState;
  /** The error and its stack when FAILED. */
  trace?: string;
}

const ALLOWED: Readonly<Record<TaskState, readonly TaskState[]>> = {
  UNASSIGNED: ['RUNNING', 'FAILED', 'STOPPING', 'STOPPED'],
  RUNNING: ['PAUSED', 'FAILED', 'STOPPING', 'STOPPED'],
  PAUSED: ['RUNNING', 'FAILED', 'STOPPING', 'STOPPED'],
  FAILED: ['STOPPING', 'STOPPED'],
  STOPPING: ['STOPPED'],
  STOPPED: [],
};

/** Moves between states, refusing transitions that make no sense (e.g. out of STOPPED). */
export class TaskStateMachine {
  #status: TaskStatus = { state: 'UNASSIGNED' };
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
