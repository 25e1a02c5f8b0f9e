import type { ConnectorConfig } from '@sluice/connect-api';
import type { SluiceErrorCode } from '../errors.ts';
import { revisionOf, type StoredConnector, type TargetState } from './stored-connector.ts';

/**
 * A change to the connectors, as both modes apply it: the standalone worker to its file, every
 * cluster worker to its copy of `connector-config-topic`, in log order. The op types are the
 * config log's record format, so they keep the seed's words (enable, disable).
 */
export type ConfigOp =
  /** `target`: the state it starts in (Kafka Connect's initial_state); STARTED if not given. */
  | { type: 'create'; name: string; config: ConnectorConfig; target?: TargetState }
  /**
   * Overwrites the given keys (an empty value resets a key). `expect`: the revision the merged
   * config was checked against; refused (409) if the connector changed since.
   */
  | { type: 'update'; name: string; changes: ConnectorConfig; expect?: number }
  /** Replaces the whole config (keys not given are gone), under the same `expect` rule. */
  | { type: 'replace'; name: string; config: ConnectorConfig; expect?: number }
  /** enable: STOPPED → STARTED; disable: → STOPPED; remove: gone, with nothing kept. */
  | { type: 'enable' | 'disable' | 'remove'; name: string }
  /** pause: → PAUSED (a stopped connector stays stopped); resume: → STARTED from anything. */
  | { type: 'pause' | 'resume'; name: string }
  /** Restarts the connector's tasks (in a cluster: every task, under a new epoch). */
  | { type: 'restart'; name: string }
  /** Forgets its active topics as of `at` (ms); the tasks go on. */
  | { type: 'reset-topics'; name: string; at: number };

export const CONFIG_OP_TYPES: readonly ConfigOp['type'][] = [
  'create',
  'update',
  'replace',
  'enable',
  'disable',
  'remove',
  'pause',
  'resume',
  'restart',
  'reset-topics',
];

/**
 * A config with changes over it, as it is stored: an empty value resets a key to its default,
 * so the key is gone (PATCH's null, the seed's ""). The herder checks exactly this before it asks.
 */
export function withChanges(config: ConnectorConfig, changes: ConnectorConfig): ConnectorConfig {
  const out: Record<string, string> = { ...config, ...changes };
  for (const [k, v] of Object.entries(out)) if (v === '') delete out[k];
  return out;
}

export type Outcome = { ok: true } | { ok: false; code: SluiceErrorCode; message: string };

const refuse = (code: SluiceErrorCode, message: string): Outcome => ({ ok: false, code, message });

/**
 * Applies one operation to the connectors in place. Whether it is allowed (name taken, already
 * stopped, …) is decided here, at apply time: in a cluster two workers accepting conflicting
 * requests at once still agree on which one won, because every worker applies the log in order.
 */
export function applyOp(connectors: Map<string, StoredConnector>, op: ConfigOp): Outcome {
  const current = connectors.get(op.name);
  if (op.type === 'create') {
    if (current) return refuse('CONFLICT', `connector ${op.name} exists already`);
    connectors.set(op.name, { config: { ...op.config }, target: op.target ?? 'STARTED', revision: 0 });
    return { ok: true };
  }
  if (!current) return refuse('NOT_FOUND', `connector ${op.name} not found`);
  const set = (next: Partial<StoredConnector>): Outcome => {
    connectors.set(op.name, { ...current, ...next });
    return { ok: true };
  };
  switch (op.type) {
    case 'update':
    case 'replace': {
      const revision = revisionOf(current);
      if (op.expect !== undefined && op.expect !== revision)
        return refuse(
          'CONFLICT',
          `connector ${op.name} was changed by another request meanwhile; read it again and retry`,
        );
      const config = withChanges(
        op.type === 'update' ? current.config : {},
        op.type === 'update' ? op.changes : op.config,
      );
      return set({ config, revision: revision + 1 });
    }
    case 'enable':
      if (current.target !== 'STOPPED') return refuse('CONFLICT', `connector ${op.name} is enabled already`);
      return set({ target: 'STARTED' });
    case 'disable':
      if (current.target === 'STOPPED') return refuse('CONFLICT', `connector ${op.name} is disabled already`);
      return set({ target: 'STOPPED' });
    case 'pause':
      return current.target === 'STOPPED' ? { ok: true } : set({ target: 'PAUSED' });
    case 'resume':
      return set({ target: 'STARTED' });
    case 'restart':
      if (current.target === 'STOPPED')
        return refuse('CONFLICT', `connector ${op.name} is stopped; resume it instead`);
      return { ok: true };
    case 'reset-topics':
      return set({ topicsResetAt: op.at });
    case 'remove':
      // A real tombstone: nothing of the connector is kept, so it cannot come back.
      connectors.delete(op.name);
      return { ok: true };
  }
}

/**
 * Whether an applied operation leaves the connector's running tasks as they are: pausing, or
 * resuming one that runs, only changes whether records flow. Everything else restarts them.
 */
export function keepsTasks(op: ConfigOp, before: StoredConnector | undefined): boolean {
  if (op.type === 'pause' || op.type === 'reset-topics') return true;
  return op.type === 'resume' && before !== undefined && before.target !== 'STOPPED';
}
