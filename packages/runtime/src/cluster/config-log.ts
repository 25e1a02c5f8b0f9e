import type { ConnectorConfig } from '@sluice/connect-api';
import { applyOp, CONFIG_OP_TYPES, type ConfigOp, keepsTasks, type Outcome } from '../state/config-ops.ts';
import { normalizeStored, type StoredConnector } from '../state/stored-connector.ts';
import { type Assignment, type AssignmentBody, assignmentAfter } from './assignment-record.ts';

export type { Assignment, ConfigOp, Outcome };

/**
 * The records of `connector-config-topic`. Every change is an operation record (a ConfigOp);
 * every worker applies them in log order with `applyConfigRecord`, a pure function, so all
 * workers reach the same state from the same log — no timestamps, no last-writer-wins.
 */
export type ConfigRecord =
  | { kind: 'op'; id: string; worker: string; op: ConfigOp }
  /**
   * The whole state as of log offset `asOf`: a reader that cannot start at the beginning of the
   * log (the broker deleted old commit-log files) starts from the last snapshot instead.
   */
  | {
      kind: 'snapshot';
      asOf: string;
      connectors: Record<string, StoredConnector>;
      assignment?: Assignment | undefined;
      epochs?: Record<string, string>;
    }
  /**
   * Which worker runs which task, written by the coordinator (the first live worker). Its
   * offset is its generation.
   */
  | ({ kind: 'assignment'; by: string } & AssignmentBody);

export interface ConfigState {
  connectors: Map<string, StoredConnector>;
  assignment: Assignment | undefined;
  /**
   * Per connector, the offset of the last record that changed its config or its task placement:
   * the epoch its tasks run under. Writes of an older epoch are fenced.
   */
  epochs: Map<string, bigint>;
  /** Offset of the last record applied; -1 before any. */
  applied: bigint;
}

export function emptyConfigState(): ConfigState {
  return { connectors: new Map(), assignment: undefined, epochs: new Map(), applied: -1n };
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
    if (opts.fromSnapshot) restoreSnapshot(state, record);
    return undefined;
  }
  if (record.kind === 'assignment') {
    const before = state.assignment?.tasks ?? {};
    const after = record.assignment.tasks;
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (JSON.stringify(before[name] ?? []) !== JSON.stringify(after[name] ?? []))
        state.epochs.set(name, offset);
    }
    state.assignment = assignmentAfter(state.assignment, record);
    return undefined;
  }
  const before = state.connectors.get(record.op.name);
  const outcome = applyOp(state.connectors, record.op);
  // Tasks that keep running keep their epoch; anything else restarts them under a new one.
  if (outcome.ok && !keepsTasks(record.op, before)) {
    if (state.connectors.has(record.op.name)) state.epochs.set(record.op.name, offset);
    else state.epochs.delete(record.op.name);
  }
  return outcome;
}

export function snapshotOf(state: ConfigState): ConfigRecord {
  return {
    kind: 'snapshot',
    asOf: String(state.applied),
    connectors: Object.fromEntries([...state.connectors].sort(([a], [b]) => (a < b ? -1 : 1))),
    assignment: state.assignment,
    epochs: Object.fromEntries([...state.epochs].map(([k, v]) => [k, String(v)])),
  };
}

function restoreSnapshot(state: ConfigState, snap: Extract<ConfigRecord, { kind: 'snapshot' }>): void {
  state.connectors = new Map(Object.entries(snap.connectors).map(([k, v]) => [k, normalizeStored(v)]));
  state.assignment = snap.assignment;
  state.epochs = new Map(Object.entries(snap.epochs ?? {}).map(([k, v]) => [k, BigInt(v)]));
}

/** A record read from the log that is not one of ours is ignored, not fatal. */
export function isConfigRecord(v: unknown): v is ConfigRecord {
  const r = v as { kind?: unknown; op?: { type?: unknown; name?: unknown }; connectors?: unknown } | null;
  if (!r || typeof r !== 'object') return false;
  if (r.kind === 'snapshot') return typeof r.connectors === 'object' && r.connectors !== null;
  if (r.kind === 'assignment') {
    const a = (v as { assignment?: { tasks?: unknown; members?: unknown } }).assignment;
    return typeof a?.tasks === 'object' && a.tasks !== null && Array.isArray(a.members);
  }
  return (
    r.kind === 'op' &&
    typeof r.op?.name === 'string' &&
    CONFIG_OP_TYPES.includes(r.op.type as ConfigOp['type'])
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
  const state = emptyConfigState();
  restoreSnapshot(state, snap);
  state.applied = BigInt(snap.asOf);
  const ops = entries.filter((e) => e.offset > state.applied && e.value.kind !== 'snapshot');
  for (const e of ops) applyConfigRecord(state, e.offset, e.value);
  state.applied = entries.at(-1)!.offset;
  return state;
}
