/** Explicit task states, as the status routes show them. */
export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED';

export interface TaskStatus {
  state: TaskState;
  /** The error and its stack when FAILED. */
  trace?: string;
}

const ALLOWED: Readonly<Record<TaskState, readonly TaskState[]>> = {
  UNASSIGNED: ['RUNNING', 'FAILED', 'STOPPED'],
  RUNNING: ['PAUSED', 'FAILED', 'STOPPED'],
  PAUSED: ['RUNNING', 'FAILED', 'STOPPED'],
  FAILED: ['STOPPED'],
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
