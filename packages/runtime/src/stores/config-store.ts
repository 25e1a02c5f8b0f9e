import { normalizeStored, type StoredConnector } from '../state/stored-connector.ts';
import type { KeyValueStore } from './kv-store.ts';

export type { StoredConnector };

/** Connector configs by name. Removing a connector deletes its entry (a real tombstone). */
export class ConfigStore {
  readonly #store: KeyValueStore<StoredConnector>;

  constructor(store: KeyValueStore<StoredConnector>) {
    this.#store = store;
  }

  get(name: string): StoredConnector | undefined {
    const raw = this.#store.get(name);
    return raw === undefined ? undefined : normalizeStored(raw);
  }

  list(): [string, StoredConnector][] {
    return [...this.#store.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, raw]) => [name, normalizeStored(raw)]);
  }

  put(name: string, connector: StoredConnector): Promise<void> {
    return this.#store.putAll(new Map([[name, connector]]));
  }

  remove(name: string): Promise<void> {
    return this.#store.putAll(new Map([[name, undefined]]));
  }
}
