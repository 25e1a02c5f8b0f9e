/**
 * The runtime keeps three kinds of state — connector configs, source positions, sink offsets —
 * each behind this interface: in memory for unit tests, in a file for standalone mode, in a
 * RocketMQ topic (plus a local file) for a cluster.
 */
export interface KeyValueStore<V> {
  get(key: string): V | undefined;
  entries(): IterableIterator<[string, V]>;
  /** Writes all entries (and deletes those given as undefined) at once; resolves when durable. */
  putAll(entries: ReadonlyMap<string, V | undefined>): Promise<void>;
  close(): Promise<void>;
}
