import type { ConfigIssue, ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import type { TaskStatus } from '../task/state.ts';
import type { OffsetEntry } from './connector-offsets.ts';

export interface TaskInfo {
  id: number;
  config: ConnectorConfig;
  status: TaskStatus;
  workerId: string;
}

export interface ConnectorInfo {
  name: string;
  config: ConnectorConfig;
  enabled: boolean;
  type: 'source' | 'sink' | 'unknown';
  /** Why the connector itself failed, if it did. */
  trace: string | undefined;
  tasks: TaskInfo[];
}

/**
 * What the HTTP API drives: implemented by the standalone worker now and by the cluster later.
 * Every write is applied whole or not at all; a refused one changes nothing. Errors are
 * SluiceErrors (NOT_FOUND, CONFLICT, INVALID_CONFIG, UNKNOWN_PLUGIN, …).
 */
export interface WorkerApi {
  readonly workerId: string;
  listConnectors(): ConnectorInfo[];
  getConnector(name: string): ConnectorInfo;
  /** `removed` for a connector removed since this worker started (the seed reports that). */
  connectorState(name: string): 'enabled' | 'disabled' | 'removed' | 'unknown';
  createConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo>;
  /** Overwrites only the given keys, then restarts the connector's tasks. */
  updateConnector(name: string, config: ConnectorConfig): Promise<ConnectorInfo>;
  setTaskCount(name: string, tasks: number): Promise<{ before: number; after: number }>;
  enableConnector(name: string): Promise<void>;
  disableConnector(name: string): Promise<void>;
  removeConnector(name: string): Promise<void>;
  reloadPlugins(): Promise<{ loaded: string[]; failures: { path: string; error: string }[] }>;
  /**
   * Pauses or resumes every task of a connector (records stop flowing; commits go on). Resume
   * also starts a stopped connector again.
   */
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  /**
   * Restarts the connector instance and, with `includeTasks`, its tasks; with `onlyFailed`,
   * only what is FAILED. Kafka Connect's semantics.
   */
  restartConnector(name: string, opts: { includeTasks?: boolean; onlyFailed?: boolean }): Promise<void>;
  /** Restarts one task; the others keep running. */
  restartTask(name: string, id: number): Promise<void>;
  /** Where the connector resumes: source positions or sink queue offsets. */
  connectorOffsets(name: string): Promise<OffsetEntry[]>;
  /** Changes (or with `offset: null` resets) some offsets. Only while the connector is stopped. */
  alterConnectorOffsets(name: string, entries: OffsetEntry[]): Promise<void>;
  /** Resets every offset. Only while the connector is stopped. */
  resetConnectorOffsets(name: string): Promise<void>;
  plugins(): { className: string; type: 'source' | 'sink'; version: string; plugin: string }[];
  /** Checks a config against a plugin's spec without creating anything. */
  validate(className: string, config: ConnectorConfig): { spec: ConfigSpec; issues: ConfigIssue[] };
  /** Live workers: this one in standalone mode. */
  workers(): { workerId: string; clientId: string }[];
}
