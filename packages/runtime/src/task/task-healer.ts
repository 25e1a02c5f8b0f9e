import type { Logger } from '@sluice/connect-api';
import type { RestartPolicy } from '../errant/policy.ts';
import { nextRestart, type RestartHistory } from './restart-decision.ts';
import type { TaskStatus } from './state.ts';

interface Pending {
  attempt: number;
  nextAt: number;
  trace: string | undefined;
  timer: NodeJS.Timeout;
}

/**
 * Restarts one connector's failed tasks by themselves, with exponential backoff, so that an
 * outage outlasting a timeout does not leave a task FAILED until a person restarts it. While a
 * restart is pending the task shows RESTARTING with the attempt, the time of the next try and
 * the trace of the failure.
 */
export class TaskHealer {
  readonly #policy: RestartPolicy;
  readonly #restart: (id: number) => Promise<void>;
  readonly #logger: Logger;
  readonly #connector: string;
  readonly #history = new Map<number, RestartHistory>();
  readonly #pending = new Map<number, Pending>();
  #stopped = false;

  constructor(
    connector: string,
    policy: RestartPolicy,
    restart: (id: number) => Promise<void>,
    logger: Logger,
  ) {
    this.#connector = connector;
    this.#policy = policy;
    this.#restart = restart;
    this.#logger = logger;
  }

  /** A runner of task `id` starts now. */
  started(id: number): void {
    const h = this.#history.get(id);
    this.#history.set(id, { attempt: h?.attempt ?? 0, startedAt: performance.now() });
  }

  /** Task `id` failed with `err`: schedules its restart when the policy says so. */
  failed(id: number, err: unknown, trace: string | undefined): void {
    if (this.#stopped || this.#pending.has(id)) return;
    const now = performance.now();
    const history = this.#history.get(id) ?? { attempt: 0, startedAt: now };
    const next = nextRestart(this.#policy, err, history, now);
    if (!next) return;
    this.#history.set(id, { ...history, attempt: next.attempt });
    const timer = setTimeout(() => {
      this.#pending.delete(id);
      if (this.#stopped) return;
      this.#restart(id).catch((e: unknown) =>
        this.#logger.error('automatic task restart failed', {
          connector: this.#connector,
          task: id,
          error: String(e),
        }),
      );
    }, next.delayMs);
    timer.unref();
    this.#pending.set(id, { attempt: next.attempt, nextAt: Date.now() + next.delayMs, trace, timer });
    this.#logger.warn('task failed; restarting it by itself', {
      connector: this.#connector,
      task: id,
      attempt: next.attempt,
      inMs: next.delayMs,
      error: trace?.split('\n')[0],
    });
  }

  /** The status to show for task `id`: RESTARTING while a restart is pending, else `status`. */
  view(id: number, status: TaskStatus): TaskStatus {
    const p = this.#pending.get(id);
    if (!p || status.state !== 'FAILED') return status;
    return {
      ...status,
      state: 'RESTARTING',
      ...(p.trace ? { trace: p.trace } : {}),
      restart: { attempt: p.attempt, nextAt: new Date(p.nextAt).toISOString() },
    };
  }

  /** A restart of task `id` by other means (a request, a reconfiguration) replaces ours. */
  cancel(id: number): void {
    const p = this.#pending.get(id);
    if (p) clearTimeout(p.timer);
    this.#pending.delete(id);
  }

  stop(): void {
    this.#stopped = true;
    for (const id of [...this.#pending.keys()]) this.cancel(id);
  }
}
