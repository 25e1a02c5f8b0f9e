import type { Connector, ConnectorConfig, SinkTask, SourceTask } from '@sluice/connect-api';
import { allocateAveragely, compareQueues, type MessageQueue, PullConsumer } from '@sluice/rocketmq';
import type { ConnectorClass } from '../plugins/plugin-registry.ts';
import type { SinkTaskRunner } from '../sink/sink-task-runner.ts';
import type { SourceTaskRunner } from '../source/source-task-runner.ts';
import type { TaskStatus } from '../task/state.ts';
import { withTimeout } from '../task/timeout.ts';
import { retryBroker } from './broker-retry.ts';
import { type ConnectorRuntimeDeps, sinkGroup, sinkTopics } from './runtime-deps.ts';
import { sinkRunner, sourceRunner } from './task-runners.ts';

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
  }

  get target(): 'STARTED' | 'PAUSED' {
    return this.#target;
  }

  get tasks(): readonly { id: number; status: TaskStatus }[] {
    return this.#tasks.map((t) => ({ id: t.taskId, status: t.status }));
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
   * for a sink, the same queues, so no other task is disturbed.
   */
  restartTask(id: number): Promise<void> {
    this.#reconfiguring = this.#reconfiguring.then(async () => {
      const index = this.#tasks.findIndex((t) => t.taskId === id);
      const old = this.#tasks[index];
      if (!old) return;
      await old.stop();
      const connector = this.#connector!;
      const taskConfig = this.taskConfigs[id] ?? {};
      const next =
        connector.kind === 'source'
          ? this.#sourceRunner(id, taskConfig, connector.createTask())
          : this.#sinkRunner(
              id,
              taskConfig,
              connector.createTask(),
              (old as SinkTaskRunner).queues,
              (old as SinkTaskRunner).consumer,
            );
      this.#tasks[index] = next;
      this.#follow(next);
      await next.start();
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
        if (this.#owns(id)) runners.push(this.#sourceRunner(id, taskConfig, connector.createTask()));
    } else {
      const topics = sinkTopics(connector, this.config);
      // Broker calls, not connector code: ride out a broker that is restarting.
      await retryBroker(async () => this.#deps.createGroup?.(sinkGroup(this.name)));
      const consumer = this.#consumer();
      const all: MessageQueue[] = [];
      // A topic that does not exist looks the same as one whose broker is not back yet: wait a
      // little, so that a sink for a missing topic still fails soon, with the broker's reason.
      for (const topic of topics)
        all.push(...(await retryBroker(() => consumer.queues(topic), { forMs: 15_000 })));
      all.sort(compareQueues);
      let first = true;
      for (const [id, taskConfig] of taskConfigs.entries()) {
        if (!this.#owns(id)) continue;
        const queues = allocateAveragely(all, taskConfigs.length, id);
        runners.push(
          this.#sinkRunner(
            id,
            taskConfig,
            connector.createTask(),
            queues,
            first ? consumer : this.#consumer(),
          ),
        );
        first = false;
      }
    }
    this.#tasks.push(...runners);
    for (const t of runners) this.#follow(t);
    await Promise.all(runners.map((t) => t.start()));
  }

  /** Stops every task; they stay listed (STOPPING) until they have stopped. */
  async #stopTasks(): Promise<void> {
    const tasks = [...this.#tasks];
    await Promise.all(tasks.map((t) => t.stop()));
    this.#tasks.splice(0, tasks.length);
    const consumers = this.#consumers.splice(0);
    await Promise.all(consumers.map((c) => c.close()));
  }

  async stop(): Promise<void> {
    await this.#reconfiguring;
    await this.#stopTasks();
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

  #sourceRunner(id: number, config: ConnectorConfig, task: SourceTask): SourceTaskRunner {
    return sourceRunner(this.name, this.#deps, id, config, task);
  }

  #sinkRunner(
    id: number,
    config: ConnectorConfig,
    task: SinkTask,
    queues: readonly MessageQueue[],
    consumer: PullConsumer,
  ): SinkTaskRunner {
    return sinkRunner(this.name, this.#deps, { id, config, task, queues, consumer });
  }
}
