import type { Logger } from '@sluice/connect-api';
import type { ErrantRecords } from '../errant/errant-records.ts';
import { NO_TASK_METRICS, type TaskMetrics } from '../metrics/task-metrics.ts';
import { TaskStateMachine, type TaskStatus } from './state.ts';
import { withTimeout } from './timeout.ts';

/** What source and sink runners share: identity, states, and bounded calls into the task. */
export abstract class TaskRunner {
  readonly connector: string;
  readonly taskId: number;
  protected readonly state = new TaskStateMachine();
  /** This task's bad records, by its connector's errors.* keys. */
  protected errant: ErrantRecords | undefined;
  readonly #callTimeoutMs: number;
  protected readonly metrics: TaskMetrics;

  constructor(
    connector: string,
    taskId: number,
    callTimeoutMs: number,
    logger: Logger,
    metrics: TaskMetrics = NO_TASK_METRICS,
  ) {
    this.connector = connector;
    this.taskId = taskId;
    this.#callTimeoutMs = callTimeoutMs;
    this.metrics = metrics;
    // Shown in the metrics from now until the runner has stopped.
    metrics.track({
      state: () => this.state.status.state,
      // Connector code: a lag that throws is unknown, not a failed scrape.
      lag: () => {
        try {
          return this.lag();
        } catch {
          return undefined;
        }
      },
      inFlight: () => this.inFlight(),
    });
    // One log line per change of state, with its cause: what an operator reads first.
    this.state.onChange((s, { from, cause }) => {
      if (s.state === 'STOPPED') metrics.untrack();
      const fields = { connector, task: taskId, from, to: s.state, ...(cause ? { cause } : {}) };
      if (s.state === 'FAILED') logger.warn('task state changed', fields);
      else logger.info('task state changed', fields);
    });
  }

  /** Records not yet read, per source partition or sink queue, for the metrics. */
  protected abstract lag(): ReadonlyMap<string, number> | undefined;
  /** Records taken in and not yet done with, for the metrics. */
  protected abstract inFlight(): number;

  /** Kafka Connect's active topics: when this task last moved a record of each. */
  readonly #topics = new Map<string, number>();

  /** The task's state, with the bad records it tolerated and its topics once there are any. */
  get status(): TaskStatus {
    const stats = this.errant?.stats;
    return {
      ...this.state.status,
      ...(stats && stats.tolerated > 0 ? { errors: { ...stats } } : {}),
      ...(this.#topics.size > 0 ? { topics: Object.fromEntries(this.#topics) } : {}),
    };
  }

  /** A record of `topic` was written (source) or delivered (sink). */
  protected usedTopic(topic: string): void {
    this.#topics.set(topic, Date.now());
  }

  /** What the task failed with, once FAILED. */
  get failure(): unknown {
    return this.state.failure;
  }

  onStatus(listener: (s: TaskStatus) => void): void {
    this.state.onChange(listener);
  }

  /** Whether records should flow: a task paused before it started comes up PAUSED. */
  #paused = false;

  /** Stops the flow of records until `resume`; commits go on. Before `start`: start paused. */
  pause(): boolean {
    this.#paused = true;
    if (this.state.status.state === 'UNASSIGNED') return false;
    return this.state.to('PAUSED', 'the connector was paused');
  }

  /** Records flow again (a task not started yet starts RUNNING). */
  resume(): boolean {
    this.#paused = false;
    if (this.state.status.state !== 'PAUSED') return false;
    return this.state.to('RUNNING', 'the connector was resumed');
  }

  /** For `start`, once the task started and before records flow: RUNNING, then PAUSED if asked. */
  protected started(): void {
    this.state.to('RUNNING', 'the task started');
    if (this.#paused) this.state.to('PAUSED', 'the connector is paused');
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** A call into connector code, bounded by the connector call timeout. */
  protected call<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    return withTimeout(() => `${this.connector}-${this.taskId} ${what}`, this.#callTimeoutMs, fn);
  }
}
