import type { ConfigIssue, ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import type { TargetState } from '../state/stored-connector.ts';
import type { TaskStatus } from '../task/state.ts';
import type { OffsetEntry } from '../worker/connector-offsets.ts';

// What the HTTP API and the CLI drive, in the few small interfaces their callers use. The herder
// implements them all; every write is applied whole or not at all, and a refused one changes
// nothing. Errors are SluiceErrors (NOT_FOUND, CONFLICT, INVALID_CONFIG, UNKNOWN_PLUGIN, …).

export interface TaskInfo {
  id: number;
  config: ConnectorConfig;
  status: TaskStatus;
  workerId: string;
}

export interface ConnectorInfo {
  name: string;
  config: ConnectorConfig;
  target: TargetState;
  /** The seed's view of the target: enabled unless STOPPED. */
  enabled: boolean;
  type: 'source' | 'sink' | 'unknown';
  /** Its plugin's version (undefined when the plugin is not installed). */
  version: string | undefined;
  /** Why the connector itself failed, if it did. */
  trace: string | undefined;
  tasks: TaskInfo[];
}

export interface WorkerInfo {
  workerId: string;
  clientId: string;
  /** Where its HTTP API answers (a cluster's workers). */
  url?: string;
  /** Whether it computes the cluster's assignments. */
  leader?: boolean;
  /** Tasks the current assignment gives it. */
  tasks?: number;
  /** Milliseconds since this worker last heard its heartbeat. */
  heartbeatAgeMs?: number;
}

export interface PluginInfo {
  className: string;
  type: 'source' | 'sink';
  version: string;
  plugin: string;
}

/** Reading connectors. */
export interface ConnectorReads {
  readonly workerId: string;
  listConnectors(): ConnectorInfo[];
  getConnector(name: string): ConnectorInfo;
  /** `removed` for a connector removed since this worker started (the seed reports that). */
  connectorState(name: string): 'enabled' | 'disabled' | 'removed' | 'unknown';
  /** The keys of this config that hold secrets (password-typed in its plugin's spec). */
  secretKeys(config: ConnectorConfig): ReadonlySet<string>;
}

/** Creating, changing and removing connectors. */
export interface ConnectorWrites {
  /**
   * `target`: the state it is created in (default STARTED). `name` (or the seed's
   * `connectorName`) inside the config must match the name, and is not stored.
   */
  createConnector(
    name: string,
    config: ConnectorConfig,
    opts?: { target?: TargetState },
  ): Promise<ConnectorInfo>;
  /**
   * Overwrites only the given keys (an empty value resets one), then restarts the tasks. The
   * merged config is checked and applied as one: if another change came first, CONFLICT.
   */
  updateConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo>;
  /** Replaces the whole config (PUT), under the same rule. */
  replaceConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo>;
  setTaskCount(name: string, tasks: number): Promise<{ before: number; after: number }>;
  removeConnector(name: string): Promise<void>;
}

/** Moving connectors between target states, and restarts. */
export interface ConnectorControl {
  /** The seed's enable: STOPPED → STARTED (CONFLICT otherwise). */
  enableConnector(name: string): Promise<void>;
  /** The seed's disable: → STOPPED (CONFLICT if it is stopped already). */
  disableConnector(name: string): Promise<void>;
  /** Kafka Connect's stop: → STOPPED; stopping a stopped connector is fine. */
  stopConnector(name: string): Promise<void>;
  /** → PAUSED: records stop flowing; commits go on. */
  pauseConnector(name: string): Promise<void>;
  /** → STARTED, from PAUSED or STOPPED. */
  resumeConnector(name: string): Promise<void>;
  /** Kafka Connect's semantics: the instance, with `includeTasks` its tasks, `onlyFailed` only FAILED ones. */
  restartConnector(
    name: string,
    opts: { includeTasks?: boolean; onlyFailed?: boolean },
  ): Promise<{ instance: boolean; tasks: number[] }>;
  /**
   * Restarts one task, the others untouched (in a cluster, on the worker running it; when that
   * worker cannot be reached, every task of the connector under a new epoch). `forwarded`: a
   * worker passed it on.
   */
  restartTask(name: string, id: number, opts?: { forwarded?: boolean }): Promise<void>;
}

/** Where connectors resume. Changes only while the connector is stopped. */
export interface OffsetsAdmin {
  connectorOffsets(name: string): Promise<OffsetEntry[]>;
  /** Changes (or with `offset: null` resets) some offsets. */
  alterConnectorOffsets(name: string, entries: OffsetEntry[]): Promise<void>;
  resetConnectorOffsets(name: string): Promise<void>;
}

/** Kafka Connect's active topics: what a connector's tasks have used since the last reset. */
export interface TopicsAdmin {
  connectorTopics(name: string): string[];
  resetConnectorTopics(name: string): Promise<void>;
}

/** Installed plugins and config checks. */
export interface PluginsApi {
  plugins(): PluginInfo[];
  /** Checks a config as create would (spec and the connector's validate), creating nothing. */
  validate(
    className: string,
    config: ConnectorConfig,
  ): Promise<{ spec: ConfigSpec; issues: ConfigIssue[]; className: string }>;
  /** A class's config spec (NOT_FOUND when no plugin has it). */
  pluginSpec(className: string): ConfigSpec;
  /** Whether two names (name, alias, short name) are the same installed class. */
  sameClass(a: string, b: string): boolean;
  reloadPlugins(): Promise<{ loaded: string[]; failures: { path: string; error: string }[] }>;
}

/** The cluster as this worker sees it. */
export interface ClusterView {
  readonly workerId: string;
  /** What the workers of one cluster share: its cluster group (`standalone` for a standalone worker). */
  readonly clusterId: string;
  workers(): WorkerInfo[];
}

/** Everything the HTTP server serves. */
export type WorkerApi = ConnectorReads &
  ConnectorWrites &
  ConnectorControl &
  OffsetsAdmin &
  TopicsAdmin &
  PluginsApi &
  ClusterView;
