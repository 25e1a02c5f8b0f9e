import type { ConnectorConfig } from '@sluice/connect-api';

/**
 * What a connector should be doing, as its owner asked: STARTED (tasks run), PAUSED (tasks keep
 * their resources but move no records), STOPPED (no tasks; the config stays — the seed's
 * "disable", Kafka Connect's stop). Persisted in both modes and applied to every task that
 * starts, so a restarted worker or task comes back in it.
 */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

/** What is kept of a connector: its config as given, its target state, its config revision. */
export interface StoredConnector {
  config: ConnectorConfig;
  target: TargetState;
  /**
   * How many times its config was changed (0 at create; absent in records from before it was
   * kept, which counts as 0). An update names the revision it was checked against and is
   * refused if another change came first: no lost updates, no unchecked merges.
   */
  revision?: number;
  /** When its active topics were last reset (ms): topics used before then are not shown. */
  topicsResetAt?: number;
}

/**
 * A stored connector as read from a file, a snapshot or a local copy, which may predate target
 * states: `{enabled, paused}` records mean STOPPED when not enabled, else PAUSED or STARTED.
 */
export function normalizeStored(raw: unknown): StoredConnector {
  const r = raw as {
    config?: ConnectorConfig;
    target?: unknown;
    enabled?: unknown;
    paused?: unknown;
    revision?: unknown;
    topicsResetAt?: unknown;
  };
  const config = r.config ?? {};
  const revision = {
    ...(typeof r.revision === 'number' ? { revision: r.revision } : {}),
    ...(typeof r.topicsResetAt === 'number' ? { topicsResetAt: r.topicsResetAt } : {}),
  };
  if (r.target === 'STARTED' || r.target === 'PAUSED' || r.target === 'STOPPED')
    return { config, target: r.target, ...revision };
  return {
    config,
    target: r.enabled === false ? 'STOPPED' : r.paused === true ? 'PAUSED' : 'STARTED',
    ...revision,
  };
}

/** The revision an update of this connector is checked against. */
export function revisionOf(stored: StoredConnector): number {
  return stored.revision ?? 0;
}

/** The seed's two-state view: a connector is enabled unless it is stopped. */
export function isEnabled(stored: StoredConnector): boolean {
  return stored.target !== 'STOPPED';
}
