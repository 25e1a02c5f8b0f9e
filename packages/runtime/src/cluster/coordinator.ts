import type { ConnectorConfig, Logger } from '@sluice/connect-api';
import { Backoff, type BackoffPolicy } from '../backoff.ts';
import type { StoredConnector, TargetState } from '../state/stored-connector.ts';
import { type AssignmentBody, assignmentChange } from './assignment-record.ts';
import { type AssignorName, assign, type TaskRef, taskId } from './assignor.ts';
import type { Assignment } from './config-log.ts';
import type { Member, ReportedTasks } from './member-records.ts';
import { type RebalanceSummary, rebalanceSummary } from './rebalance-summary.ts';

/** How often the coordinator re-checks when nothing happens. */
export const TICK_MS = 500;
/** How often the leader snapshots the state topics: far inside the brokers' 72 h retention. */
export const SNAPSHOT_INTERVAL_MS = 3_600_000;
/** Between tries of a connector whose task configs could not be computed (a bad config, a bug). */
export const TASK_COUNT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 60_000 };

/** What the coordinator starts and stops on this worker: one connector's share of tasks. */
export interface LocalTasks {
  readonly epoch: bigint;
  readonly tasks: ReadonlySet<number>;
  /** Follows the connector's target state (STARTED or PAUSED; STOPPED tasks are stopped). */
  setTarget(target: TargetState): void;
  stop(): Promise<void>;
}

/** What the coordinator reads of the config log (ClusterConfig implements it). */
export interface CoordinatorConfig {
  readonly connectors: ReadonlyMap<string, StoredConnector>;
  readonly assignment: Assignment | undefined;
  /** Whether this worker writes the config log's snapshots (the leader does). */
  snapshotWriter: boolean;
  epochOf(name: string): bigint | undefined;
  assign(change: AssignmentBody): Promise<void>;
  on(event: 'change', listener: () => void): unknown;
}

/** What the coordinator needs of membership (Membership implements it). */
export interface CoordinatorMembership {
  leaseValid(): boolean;
  members(): Member[];
  reports(): ReportedTasks[];
  check(): void;
  on(event: 'change', listener: () => void): unknown;
}

export interface CoordinatorOptions {
  workerId: string;
  config: CoordinatorConfig;
  membership: CoordinatorMembership;
  assignor: AssignorName;
  /** A connector's task configs (their count is its task count); throws when it cannot run. */
  taskConfigs: (name: string, stored: StoredConnector) => Promise<ConnectorConfig[]>;
  /** Starts this worker's tasks of a connector under an epoch (after fencing older ones). */
  start: (
    name: string,
    stored: StoredConnector,
    epoch: bigint,
    tasks: ReadonlySet<number>,
  ) => Promise<LocalTasks>;
  /** Called after local tasks stopped, so others learn it before their next heartbeat. */
  reported: () => void;
  /** A new assignment reached this worker (it is logged too). */
  rebalanced?: (summary: RebalanceSummary) => void;
  logger: Logger;
  /** How often to re-check when nothing happens (default 500 ms). */
  tickMs?: number;
  /**
   * Writes snapshots of the state topics. The leader does it when it becomes leader and then
   * every `snapshotIntervalMs` (default 1 h), far inside the broker's 72 h retention, so a worker
   * that starts empty can always rebuild the state.
   */
  snapshot?: () => Promise<void>;
  snapshotIntervalMs?: number;
}

/**
 * Turns (config, members) into running tasks. The first live worker writes assignments into the
 * config log; every worker runs what the latest assignment gives it. A connector whose placement
 * or config changed gets a new epoch: its old tasks stop everywhere, and the new ones start only
 * when no live worker still reports a task of it under an older epoch (a dead or frozen worker
 * no longer counts; its late writes are fenced). Steps run one at a time.
 */
export class Coordinator {
  readonly #o: CoordinatorOptions;
  readonly #running = new Map<string, LocalTasks>();
  readonly #counts = new Map<string, { key: string; configs: ConnectorConfig[] }>();
  /** Connectors whose task count failed here, tried again with backoff; never cached as 0. */
  readonly #countFailures = new Map<
    string,
    { key: string; trace: string; retryAt: number; backoff: Backoff }
  >();
  #timer: NodeJS.Timeout | undefined;
  #busy: Promise<void> = Promise.resolve();
  #lastWritten = '';
  #queued = false;
  #lastSnapshot = -Infinity;
  #stopped = false;
  #applied: Assignment | undefined;

  constructor(opts: CoordinatorOptions) {
    this.#o = opts;
  }

  get running(): ReadonlyMap<string, LocalTasks> {
    return this.#running;
  }

  start(): void {
    const poke = () => this.poke();
    this.#o.config.on('change', poke);
    this.#o.membership.on('change', poke);
    this.#timer = setInterval(() => {
      this.#o.membership.check();
      this.poke();
    }, this.#o.tickMs ?? TICK_MS);
    this.#timer.unref();
    this.poke();
  }

  /** Schedules a step (coalesced: many pokes while busy make one more step). */
  poke(): void {
    if (this.#queued) return;
    this.#queued = true;
    this.#busy = this.#busy.then(async () => {
      this.#queued = false;
      if (this.#stopped) return;
      try {
        await this.#step();
      } catch (err) {
        this.#o.logger.warn('coordination step failed', { error: String(err) });
      }
    });
  }

  async #step(): Promise<void> {
    const { membership, config, workerId } = this.#o;
    if (!membership.leaseValid()) {
      // Cut off (or frozen and just woken): act as nobody until our heartbeat is seen again.
      if (this.#running.size > 0) {
        this.#o.logger.warn('cluster lease lost: stopping local tasks', { tasks: this.#running.size });
        await this.#stopAll();
      }
      return;
    }
    const members = membership.members();
    if (members[0]?.workerId === workerId) await this.#lead(members.map((m) => m.workerId));
    else this.#countFailures.clear();
    await this.#reconcile(config.assignment);
  }

  /** The leader's part: write the assignment that the current members and tasks call for. */
  async #lead(workers: string[]): Promise<void> {
    const { config } = this.#o;
    config.snapshotWriter = true;
    if (
      this.#o.snapshot &&
      performance.now() - this.#lastSnapshot > (this.#o.snapshotIntervalMs ?? SNAPSHOT_INTERVAL_MS)
    ) {
      this.#lastSnapshot = performance.now();
      await this.#o
        .snapshot()
        .catch((err: unknown) => this.#o.logger.warn('snapshot failed', { error: String(err) }));
    }
    const refs: TaskRef[] = [];
    const configs: Record<string, ConnectorConfig[]> = {};
    for (const name of this.#countFailures.keys())
      if ((config.connectors.get(name)?.target ?? 'STOPPED') === 'STOPPED') this.#countFailures.delete(name);
    for (const [name, stored] of config.connectors) {
      if (stored.target === 'STOPPED') continue;
      const taskConfigs = await this.#taskConfigs(name, stored);
      if (taskConfigs.length > 0) configs[name] = taskConfigs;
      for (let task = 0; task < taskConfigs.length; task++) refs.push({ connector: name, task });
    }
    const placed = assign(this.#o.assignor, workers, refs);
    const tasks: Record<string, string[]> = {};
    for (const r of refs) {
      tasks[r.connector] ??= [];
      tasks[r.connector]!.push(placed.get(taskId(r)) ?? '');
    }
    const change = assignmentChange(config.assignment, { members: workers, tasks, configs });
    if (!change) return;
    // Not again while the same change is on its way through the log.
    const key = JSON.stringify(change);
    if (key === this.#lastWritten) return;
    this.#lastWritten = key;
    await config.assign(change);
  }

  /** Connectors whose task configs could not be computed here, with why (this worker leads). */
  countFailures(): ReadonlyMap<string, string> {
    return new Map([...this.#countFailures].map(([name, f]) => [name, f.trace]));
  }

  /** The task configs, cached per connector config; none while they cannot be computed. */
  async #taskConfigs(name: string, stored: StoredConnector): Promise<ConnectorConfig[]> {
    const key = JSON.stringify(stored.config);
    const cached = this.#counts.get(name);
    if (cached?.key === key) return cached.configs;
    const failed = this.#countFailures.get(name);
    if (failed?.key === key && performance.now() < failed.retryAt) return [];
    try {
      const configs = await this.#o.taskConfigs(name, stored);
      this.#counts.set(name, { key, configs });
      this.#countFailures.delete(name);
      return configs;
    } catch (err) {
      const backoff = failed?.key === key ? failed.backoff : new Backoff(TASK_COUNT_BACKOFF);
      const trace = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.#countFailures.set(name, { key, trace, retryAt: performance.now() + backoff.next(), backoff });
      this.#o.logger.warn('could not compute task configs', { connector: name, error: String(err) });
      return [];
    }
  }

  async #reconcile(assignment: Assignment | undefined): Promise<void> {
    const { config, workerId, membership } = this.#o;
    if (assignment && assignment !== this.#applied) this.#summarise(assignment);
    let changed = false;
    // Stop what is no longer ours, or runs under an old epoch or config.
    for (const [name, local] of [...this.#running]) {
      const mine = this.#mine(assignment, name);
      const epoch = config.epochOf(name);
      if (epoch === local.epoch && sameSet(mine, local.tasks)) {
        local.setTarget(config.connectors.get(name)?.target ?? 'STOPPED');
        continue;
      }
      this.#running.delete(name);
      await local.stop();
      changed = true;
    }
    if (changed) this.#o.reported();
    const reports = membership.reports().filter((r) => r.workerId !== workerId);
    for (const [name, stored] of config.connectors) {
      if (this.#running.has(name)) continue;
      const mine = this.#mine(assignment, name);
      const epoch = config.epochOf(name);
      if (mine.size === 0 || epoch === undefined) continue;
      // Hand-over: wait until every live worker has reported after applying this epoch, and none
      // reports a task of this connector under another — an older one is still stopping, a newer
      // one means our config view is behind. A report made before the epoch may miss tasks its
      // worker started just after it (under the epoch before): those must be seen stopped.
      const busy = reports.some(
        (r) =>
          (r.applied !== undefined && r.applied < epoch) ||
          r.tasks.some((t) => t.connector === name && t.task >= 0 && BigInt(t.generation) !== epoch),
      );
      if (busy) continue;
      try {
        const local = await this.#o.start(name, stored, epoch, mine);
        local.setTarget(stored.target);
        this.#running.set(name, local);
        changed = true;
      } catch (err) {
        this.#o.logger.error('could not start tasks', { connector: name, error: String(err) });
      }
    }
    if (changed) this.#o.reported();
  }

  /** One log line per new assignment: who is in, who leads, what this worker gained and lost. */
  #summarise(assignment: Assignment): void {
    const before = this.#applied;
    this.#applied = assignment;
    if (before && JSON.stringify(before.tasks) === JSON.stringify(assignment.tasks)) return;
    const s = rebalanceSummary(before, assignment, this.#o.workerId);
    const few = (l: string[]) => (l.length > 20 ? [...l.slice(0, 20), `… ${l.length - 20} more`] : l);
    this.#o.logger.info('rebalance', { ...s, gained: few(s.gained), lost: few(s.lost) });
    this.#o.rebalanced?.(s);
  }

  #mine(assignment: Assignment | undefined, name: string): Set<number> {
    const stored = this.#o.config.connectors.get(name);
    const out = new Set<number>();
    if (!stored || stored.target === 'STOPPED') return out;
    for (const [i, w] of (assignment?.tasks[name] ?? []).entries()) if (w === this.#o.workerId) out.add(i);
    return out;
  }

  async #stopAll(): Promise<void> {
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(all.map((l) => l.stop()));
    this.#o.reported();
  }

  /** Stops local tasks (final commits while the lease holds) and coordination. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#busy;
    await this.#stopAll();
  }
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
