import type { Connector, ConnectorConfig } from '@sluice/connect-api';
import { allocateAveragely, type MessageQueue, PullConsumer } from '@sluice/rocketmq';
import type { ErrantStats } from '../errant/errant-records.ts';
import { errorPolicy, restartPolicy } from '../errant/policy.ts';
import type { ConnectorClass } from '../plugins/plugin-registry.ts';
import type { SinkTaskRunner } from '../sink/sink-task-runner.ts';
import { ROUTE_REFRESH_MS } from '../source/limits.ts';
import type { SourceTaskRunner } from '../source/source-task-runner.ts';
import { taskLimits } from '../task/limit-keys.ts';
import type { TaskStatus } from '../task/state.ts';
import { TaskHealer } from '../task/task-healer.ts';
import { withTimeout } from '../task/timeout.ts';
import { retryBroker } from './broker-retry.ts';
import { type ConnectorRuntimeDeps, sinkGroup, sinkTopics } from './runtime-deps.ts';
import { SinkQueues } from './sink-queues.ts';
import { type RunnerPolicy, taskRunner } from './task-runners.ts';

export type { ConnectorRuntimeDeps };

/**
 * One running connector: the connector instance and its task runners. It is given a checked,
 * canonical config (see checkConfig) and runs it; failures of connector code are kept in
 * `failure` and the task states, never thrown to the caller.
 */
export class ConnectorRuntime {
  readonly name: string;
  readonly connectorClass: ConnectorClass;
  readonly config: Record<string, string>;
  readonly #deps: ConnectorRuntimeDeps;
  #connector: Connector | undefined;
  readonly #tasks: (SourceTaskRunner | SinkTaskRunner)[] = [];
  readonly #consumers: PullConsumer[] = [];
  #failure: string | undefined;
  #reconfiguring: Promise<void> = Promise.resolve();
  /** The task configs the connector gave last. */
  taskConfigs: ConnectorConfig[] = [];
  /** Whether records flow; every task that starts follows it (a restarted task stays paused). */
  #target: 'STARTED' | 'PAUSED' = 'STARTED';
  readonly #policy: RunnerPolicy;
  readonly #healer: TaskHealer;
  /** A sink's queues, read again now and then. */
  #queueSet: SinkQueues | undefined;

  constructor(
    name: string,
    connectorClass: ConnectorClass,
    config: ConnectorConfig,
    deps: ConnectorRuntimeDeps,
    /** The instance the config was checked with, to run it (default: a new one). */
    instance: Connector = connectorClass.create(),
  ) {
    this.name = name;
    this.connectorClass = connectorClass;
    this.config = { ...config };
    this.#deps = deps;
    this.#connector = instance;
    const stats = new Map<number, ErrantStats>();
    this.#policy = {
      errors: errorPolicy(this.config),
      connectorClass: connectorClass.name,
      kind: instance.kind,
      order: this.config['rocketmq.order'] === 'none' ? 'none' : 'key',
      limits: taskLimits(this.config),
      statsOf: (id) => stats.get(id) ?? stats.set(id, { tolerated: 0, deadLettered: 0 }).get(id)!,
    };
    this.#healer = new TaskHealer(
      name,
      restartPolicy(this.config),
      (id) => this.restartTask(id, true),
      deps.logger,
    );
  }

  get target(): 'STARTED' | 'PAUSED' {
    return this.#target;
  }

  get tasks(): readonly { id: number; status: TaskStatus }[] {
    return this.#tasks.map((t) => ({ id: t.taskId, status: this.#healer.view(t.taskId, t.status) }));
  }

  get failure(): string | undefined {
    return this.#failure;
  }

  async start(): Promise<void> {
    try {
      await this.#startInstance();
      await this.#startTasks();
    } catch (err) {
      this.fail(err);
      this.#deps.logger.error('connector failed to start', { connector: this.name, error: String(err) });
    }
  }

  /** Marks the connector instance failed (shown in its status) without stopping its tasks. */
  fail(err: unknown): void {
    this.#failure = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }

  async #startInstance(): Promise<void> {
    const connector = this.#connector!;
    await this.#call('start', () =>
      connector.start(this.config, {
        name: this.name,
        logger: this.#deps.logger,
        requestTaskReconfiguration: () => void this.reconfigure(),
        raiseError: (err) => this.fail(err),
      }),
    );
  }

  /** PAUSED stops the flow of records of every task, now and of tasks started later. */
  setTarget(target: 'STARTED' | 'PAUSED'): void {
    this.#target = target;
    for (const t of this.#tasks) this.#follow(t);
  }

  #follow(t: SourceTaskRunner | SinkTaskRunner): void {
    if (this.#target === 'PAUSED') t.pause();
    else t.resume();
  }

  /**
   * Asks the connector for its task configs again and replaces the tasks: the old ones stop
   * gracefully (final commit) before the new ones start, so no two runners share a partition.
   */
  reconfigure(): Promise<void> {
    this.#reconfiguring = this.#reconfiguring.then(async () => {
      await this.#stopTasks();
      try {
        await this.#startTasks();
        this.#deps.metrics?.keepTasks(
          this.name,
          this.#tasks.map((t) => t.taskId),
        );
      } catch (err) {
        this.fail(err);
        this.#deps.logger.error('connector reconfiguration failed', {
          connector: this.name,
          error: String(err),
        });
      }
    });
    return this.#reconfiguring;
  }

  /**
   * Restarts one task: its runner stops (final commit) and a new one takes the same config and,
   * for a sink, the same queues, so no other task is disturbed. `automatic`: the task healer's.
   */
  restartTask(id: number, automatic = false): Promise<void> {
    if (!automatic) this.#healer.cancel(id);
    this.#reconfiguring = this.#reconfiguring.then(async () => {
      const index = this.#tasks.findIndex((t) => t.taskId === id);
      const old = this.#tasks[index];
      if (!old) return;
      await old.stop();
      this.#deps.metrics?.restarted(this.name, id);
      const { queues, consumer } = old as SinkTaskRunner;
      const next = this.#runner(id, this.taskConfigs[id] ?? {}, { queues, consumer });
      this.#tasks[index] = next;
      this.#follow(next);
      await this.#start(next);
    });
    return this.#reconfiguring;
  }

  /**
   * Restarts the connector instance (stop, a new instance, start). Tasks keep running unless the
   * new instance hands out different task configs; then they are replaced.
   */
  restartInstance(): Promise<void> {
    this.#reconfiguring = this.#reconfiguring.then(async () => {
      try {
        await this.#call('stop', () => this.#connector?.stop());
      } catch (err) {
        this.#deps.logger.warn('connector stop failed', { connector: this.name, error: String(err) });
      }
      this.#failure = undefined;
      this.#connector = this.connectorClass.create();
      const before = JSON.stringify(this.taskConfigs);
      try {
        await this.#startInstance();
        const connector = this.#connector;
        const configs = await this.#call('taskConfigs', () =>
          connector.taskConfigs(Number(this.config['tasks.num'] ?? '1')),
        );
        if (JSON.stringify(configs) !== before || this.#tasks.length === 0) {
          await this.#stopTasks();
          await this.#startTasks();
        }
      } catch (err) {
        this.fail(err);
        this.#deps.logger.error('connector failed to restart', { connector: this.name, error: String(err) });
      }
    });
    return this.#reconfiguring;
  }

  #call<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    return withTimeout(`${this.name} ${what}`, this.#deps.callTimeoutMs, fn);
  }

  async #startTasks(): Promise<void> {
    const connector = this.#connector!;
    const taskConfigs = await this.#call('taskConfigs', () =>
      connector.taskConfigs(Number(this.config['tasks.num'] ?? '1')),
    );
    this.taskConfigs = taskConfigs;
    const runners: (SourceTaskRunner | SinkTaskRunner)[] = [];
    if (connector.kind === 'source') {
      for (const [id, taskConfig] of taskConfigs.entries())
        if (this.#owns(id)) runners.push(this.#runner(id, taskConfig));
    } else {
      const topics = sinkTopics(connector, this.config);
      // Broker calls, not connector code: ride out a broker that is restarting.
      await retryBroker(async () => this.#deps.createGroup?.(sinkGroup(this.name)));
      const consumer = this.#consumer();
      this.#queueSet ??= this.#watchQueues(topics);
      const all = await this.#queueSet.read(consumer, true);
      let first = true;
      for (const [id, config] of taskConfigs.entries()) {
        if (!this.#owns(id)) continue;
        const queues = allocateAveragely(all, taskConfigs.length, id);
        runners.push(this.#runner(id, config, { queues, consumer: first ? consumer : this.#consumer() }));
        first = false;
      }
    }
    this.#tasks.push(...runners);
    for (const t of runners) this.#follow(t);
    await Promise.all(runners.map((t) => this.#start(t)));
  }

  /** Starts a runner whose failure, should it fail, the healer looks at. */
  #start(t: SourceTaskRunner | SinkTaskRunner): Promise<void> {
    t.onStatus((s) => {
      if (s.state === 'FAILED') this.#healer.failed(t.taskId, t.failure, s.trace);
    });
    this.#healer.started(t.taskId);
    return t.start();
  }

  /** Queues added to the sink's topics: the tasks are dealt the grown set (never a smaller one). */
  #watchQueues(topics: string[]): SinkQueues {
    const set = new SinkQueues(topics, this.#deps.offsets, sinkGroup(this.name));
    set.watch(
      () => this.#consumers[0],
      this.#deps.routeRefreshMs ?? ROUTE_REFRESH_MS,
      (now) => {
        const fields = { connector: this.name, queues: now.length };
        this.#deps.logger.info('the sink topics have new queues: its tasks are dealt them again', fields);
        void this.reconfigure();
      },
    );
    return set;
  }

  /** Stops every task; they stay listed (STOPPING) until they have stopped. */
  async #stopTasks(): Promise<void> {
    const tasks = [...this.#tasks];
    for (const t of tasks) this.#healer.cancel(t.taskId);
    await Promise.all(tasks.map((t) => t.stop()));
    this.#tasks.splice(0, tasks.length);
    const consumers = this.#consumers.splice(0);
    await Promise.all(consumers.map((c) => c.close()));
  }

  async stop(): Promise<void> {
    this.#healer.stop();
    this.#queueSet?.stop();
    await this.#reconfiguring;
    await this.#stopTasks();
    this.#deps.metrics?.forget(this.name);
    try {
      await this.#call('stop', () => this.#connector?.stop());
    } catch (err) {
      this.#deps.logger.warn('connector stop failed', { connector: this.name, error: String(err) });
    }
  }

  #owns(id: number): boolean {
    return this.#deps.ownedTasks?.has(id) ?? true;
  }

  #consumer(): PullConsumer {
    const c = new PullConsumer({ ...this.#deps.client, group: sinkGroup(this.name) });
    this.#consumers.push(c);
    return c;
  }

  /** A runner for task `id`; a sink's reads `sink.queues` with `sink.consumer`. */
  #runner(
    id: number,
    config: ConnectorConfig,
    sink?: { queues: readonly MessageQueue[]; consumer: PullConsumer },
  ): SourceTaskRunner | SinkTaskRunner {
    return taskRunner(this.#connector!, this.name, this.#deps, this.#policy, { id, config, sink });
  }
}
