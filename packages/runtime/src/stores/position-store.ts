import type { SourcePartition, SourcePosition } from '@sluice/connect-api';
import { decodePartitionKey, partitionKey } from '../records/keys.ts';
import type { KeyValueStore } from './kv-store.ts';

/** Source positions of every connector, keyed by connector name and partition. */
export class PositionStore {
  readonly #store: KeyValueStore<SourcePosition>;

  constructor(store: KeyValueStore<SourcePosition>) {
    this.#store = store;
  }

  static key(connector: string, partition: SourcePartition): string {
    return `${connector}\u0000${partitionKey(partition)}`;
  }

  get(connector: string, partition: SourcePartition): SourcePosition | undefined {
    return this.#store.get(PositionStore.key(connector, partition));
  }

  async put(
    connector: string,
    entries: readonly { partition: SourcePartition; position: SourcePosition }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.#store.putAll(
      new Map(entries.map((e) => [PositionStore.key(connector, e.partition), e.position])),
    );
  }

  /** Deletes positions (the source starts those partitions afresh). */
  async remove(connector: string, partitions: readonly SourcePartition[]): Promise<void> {
    if (partitions.length === 0) return;
    await this.#store.putAll(new Map(partitions.map((p) => [PositionStore.key(connector, p), undefined])));
  }

  /** Every stored position of a connector (for the offsets routes), partition key → position. */
  list(connector: string): { partition: SourcePartition; position: SourcePosition }[] {
    const prefix = `${connector}\u0000`;
    return [...this.#store.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, position]) => ({
        partition: decodePartitionKey(k.slice(prefix.length)),
        position,
      }));
  }
}
