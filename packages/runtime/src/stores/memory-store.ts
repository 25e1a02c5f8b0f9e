import type { KeyValueStore } from './kv-store.ts';

export class MemoryStore<V> implements KeyValueStore<V> {
  protected readonly data = new Map<string, V>();

  get(key: string): V | undefined {
    return this.data.get(key);
  }

  entries(): IterableIterator<[string, V]> {
    return this.data.entries();
  }

  async putAll(entries: ReadonlyMap<string, V | undefined>): Promise<void> {
    for (const [k, v] of entries) {
      if (v === undefined) this.data.delete(k);
      else this.data.set(k, v);
    }
  }

  async close(): Promise<void> {}
}
