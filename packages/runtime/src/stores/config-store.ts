import type { ConnectorConfig } from '@sluice/connect-api';
import type { KeyValueStore } from './kv-store.ts';

/** What is kept of a connector: its config as given, and whether it should run. */
export interface StoredConnector {
  config: ConnectorConfig;
  /** The seed's enable / disable: a disabled connector keeps its config but runs no task. */
  enabled: boolean;
  /** In a cluster: records stop flowing while the tasks stay (pause / resume). */
  paused?: boolean;
}

/** Connector configs by name. Removing a connector deletes its entry (a real tombstone). */
export class ConfigStore {
  readonly #store: KeyValueStore<StoredConnector>;

  constructor(store: KeyValueStore<StoredConnector>) {
    this.#store = store;
  }

  get(name: string): StoredConnector | undefined {
    return this.#store.get(name);
  }

  list(): [string, StoredConnector][] {
    return [...this.#store.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  put(name: string, connector: StoredConnector): Promise<void> {
    return this.#store.putAll(new Map([[name, connector]]));
  }

  remove(name: string): Promise<void> {
    return this.#store.putAll(new Map([[name, undefined]]));
  }
}
