import type { ConnectorConfig } from '@sluice/connect-api';

/**
 * What a connector should be doing, as its owner asked: STARTED (tasks run), PAUSED (tasks keep
 * their resources but move no records), STOPPED (no tasks; the config stays — the seed's
 * "disable", Kafka Connect's stop). Persisted in both modes and applied to every task that
 * starts, so a restarted worker or task comes back in it.
 */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

/** What is kept of a connector: its config as given, and its target state. */
export interface StoredConnector {
  config: ConnectorConfig;
  target: TargetState;
}

/**
 * A stored connector as read from a file, a snapshot or a local copy, which may predate target
 * states: `{enabled, paused}` records mean STOPPED when not enabled, else PAUSED or STARTED.
 */
export function normalizeStored(raw: unknown): StoredConnector {
  const r = raw as { config?: ConnectorConfig; target?: unknown; enabled?: unknown; paused?: unknown };
  const config = r.config ?? {};
  if (r.target === 'STARTED' || r.target === 'PAUSED' || r.target === 'STOPPED')
    return { config, target: r.target };
  return { config, target: r.enabled === false ? 'STOPPED' : r.paused === true ? 'PAUSED' : 'STARTED' };
}

/** The seed's two-state view: a connector is enabled unless it is stopped. */
export function isEnabled(stored: StoredConnector): boolean {
  return stored.target !== 'STOPPED';
}
