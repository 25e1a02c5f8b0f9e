import type { ErrantRecords } from '../errant/errant-records.ts';
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

  constructor(connector: string, taskId: number, callTimeoutMs: number) {
    this.connector = connector;
    this.taskId = taskId;
    this.#callTimeoutMs = callTimeoutMs;
  }

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
    return this.state.to('PAUSED');
  }

  resume(): boolean {
    this.#paused = false;
    return this.state.to('RUNNING');
  }

  /** For `start`, once the task started and before records flow: RUNNING, then PAUSED if asked. */
  protected started(): void {
    this.state.to('RUNNING');
    if (this.#paused) this.state.to('PAUSED');
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** A call into connector code, bounded by the connector call timeout. */
  protected call<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    return withTimeout(`${this.connector}-${this.taskId} ${what}`, this.#callTimeoutMs, fn);
  }
}
