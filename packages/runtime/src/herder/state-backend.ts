import type { ConfigOp } from '../state/config-ops.ts';
import type { StoredConnector } from '../state/stored-connector.ts';
import type { RestartPlan } from '../task/connector-status.ts';
import type { ConnectorOffsets } from '../worker/connector-offsets.ts';
import type { TaskInfo, WorkerInfo } from './herder-api.ts';

/** What runs of a connector, as one worker can tell: its tasks and its instance's failure. */
export interface RuntimeView {
  tasks: TaskInfo[];
  /** Why the connector instance failed, if it did. */
  failure: string | undefined;
}

/**
 * Where connectors are kept and how they run: the one thing the standalone worker (a file, tasks
 * in this process) and the cluster (the config log, tasks spread by the coordinator) do
 * differently. The herder above it does everything else alike.
 */
export interface StateBackend {
  readonly workerId: string;
  readonly clusterId: string;
  /** The connectors as this worker knows them. */
  connectors(): ReadonlyMap<string, StoredConnector>;
  /**
   * Makes one operation take effect: stored, and applied by `applyOp` so that a refused one
   * (name taken, not found) rejects with its SluiceError and changes nothing. Standalone: stored
   * and running (or stopped) when it resolves; cluster: applied here in log order.
   */
  submit(op: ConfigOp): Promise<void>;
  /** The connector's tasks (placement, state, config) and its instance's failure. */
  runtime(name: string, stored: StoredConnector): RuntimeView;
  /**
   * Carries out a restart the herder planned. `forwarded`: another worker passed it on, because
   * the task runs here (it is not passed on again).
   */
  restart(name: string, plan: RestartPlan, opts?: { forwarded?: boolean }): Promise<void>;
  /**
   * The connector's positions and offsets. With `forChange` the caller is about to change them
   * and has checked that the connector is stopped: tasks still stopping elsewhere are fenced first.
   */
  offsets(name: string, forChange: boolean): Promise<ConnectorOffsets>;
  /** Live workers (this one alone in standalone mode). */
  workers(): WorkerInfo[];
  /** Called after the connectors changed, by this worker's write or (cluster) another's. */
  onChange(listener: () => void): void;
}
