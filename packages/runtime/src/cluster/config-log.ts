import type { ConnectorConfig } from '@sluice/connect-api';
import type { SluiceErrorCode } from '../errors.ts';
import type { StoredConnector } from '../stores/config-store.ts';

/**
 * The records of `connector-config-topic`. Every change is an operation record; every worker
 * applies them in log order with `applyConfigRecord`, a pure function, so all workers reach the
 * same state from the same log — no timestamps, no last-writer-wins. Whether an operation is
 * allowed (name taken, already disabled, …) is decided when it is applied, in log order, so two
 * workers accepting conflicting requests at once still agree on which one won.
 */
export type ConfigOp =
  | { type: 'create'; name: string; config: ConnectorConfig }
  /** Overwrites the given keys; an empty value resets a key. */
  | { type: 'update'; name: string; changes: ConnectorConfig }
  | { type: 'enable' | 'disable' | 'remove'; name: string };

export type ConfigRecord =
  | { kind: 'op'; id: string; worker: string; op: ConfigOp }
  /**
   * The whole state as of log offset `asOf`: a reader that cannot start at the beginning of the
   * log (the broker deleted old commit-log files) starts from the last snapshot instead.
   */
  | { kind: 'snapshot'; asOf: string; connectors: Record<string, StoredConnector> };

export type Outcome = { ok: true } | { ok: false; code: SluiceErrorCode; message: string };

export interface ConfigState {
  connectors: Map<string, StoredConnector>;
  /** Offset of the last record applied; -1 before any. */
  applied: bigint;
}

export function emptyConfigState(): ConfigState {
  return { connectors: new Map(), applied: -1n };
}

const refuse = (code: SluiceErrorCode, message: string): Outcome => ({ ok: false, code, message });

/** Applies one operation in place; the outcome is the same on every worker. */
export function applyOp(state: ConfigState, op: ConfigOp): Outcome {
  const current = state.connectors.get(op.name);
  switch (op.type) {
    case 'create':
      if (current) return refuse('CONFLICT', `connector ${op.name} exists already`);
      state.connectors.set(op.name, { config: { ...op.config }, enabled: true });
      return { ok: true };
    case 'update':
      if (!current) return refuse('NOT_FOUND', `connector ${op.name} not found`);
      state.connectors.set(op.name, { ...current, config: { ...current.config, ...op.changes } });
      return { ok: true };
    case 'enable':
    case 'disable': {
      if (!current) return refuse('NOT_FOUND', `connector ${op.name} not found`);
      const enabled = op.type === 'enable';
      if (current.enabled === enabled)
        return refuse('CONFLICT', `connector ${op.name} is ${op.type}d already`);
      state.connectors.set(op.name, { ...current, enabled });
      return { ok: true };
    }
    case 'remove':
      if (!current) return refuse('NOT_FOUND', `connector ${op.name} not found`);
      // A real tombstone: nothing of the connector is kept, so it cannot come back.
      state.connectors.delete(op.name);
      return { ok: true };
  }
}

/**
 * Applies one log record. A snapshot replaces the state only for a reader that has not seen
 * the records before it (`fromSnapshot`); a reader with the full history already has that state.
 */
export function applyConfigRecord(
  state: ConfigState,
  offset: bigint,
  record: ConfigRecord,
  opts: { fromSnapshot?: boolean } = {},
): Outcome | undefined {
  if (offset <= state.applied) return undefined;
  state.applied = offset;
  if (record.kind === 'snapshot') {
    if (opts.fromSnapshot) {
      state.connectors = new Map(Object.entries(record.connectors));
    }
    return undefined;
  }
  return applyOp(state, record.op);
}

export function snapshotOf(state: ConfigState): ConfigRecord {
  return {
    kind: 'snapshot',
    asOf: String(state.applied),
    connectors: Object.fromEntries([...state.connectors].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/** A record read from the log that is not one of ours is ignored, not fatal. */
export function isConfigRecord(v: unknown): v is ConfigRecord {
  const r = v as { kind?: unknown; op?: { type?: unknown; name?: unknown }; connectors?: unknown } | null;
  if (!r || typeof r !== 'object') return false;
  if (r.kind === 'snapshot') return typeof r.connectors === 'object' && r.connectors !== null;
  return (
    r.kind === 'op' &&
    typeof r.op?.name === 'string' &&
    ['create', 'update', 'enable', 'disable', 'remove'].includes(r.op.type as string)
  );
}

/**
 * Rebuilds the state from the records a reader can still read. `complete` says they start at
 * the log's first record ever (or right after the local copy's offset, given as `base`);
 * otherwise the broker has deleted older records and the last snapshot is the starting point,
 * with every operation after its `asOf` applied on top, even those stored before the snapshot.
 * Returns undefined when an incomplete log holds no snapshot: the state cannot be known.
 */
export function replayConfigLog(
  entries: readonly { offset: bigint; value: ConfigRecord }[],
  opts: { complete: boolean; base?: ConfigState },
): ConfigState | undefined {
  if (opts.complete) {
    const state = opts.base ?? emptyConfigState();
    for (const e of entries) applyConfigRecord(state, e.offset, e.value);
    return state;
  }
  let last = -1;
  for (const [i, e] of entries.entries()) if (e.value.kind === 'snapshot') last = i;
  if (last < 0) return undefined;
  const snap = entries[last]!.value as Extract<ConfigRecord, { kind: 'snapshot' }>;
  const state: ConfigState = {
    connectors: new Map(Object.entries(snap.connectors)),
    applied: BigInt(snap.asOf),
  };
  const ops = entries.filter((e) => e.offset > state.applied && e.value.kind === 'op');
  for (const e of ops) applyConfigRecord(state, e.offset, e.value);
  state.applied = entries.at(-1)!.offset;
  return state;
}
