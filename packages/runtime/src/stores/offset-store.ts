import type { MessageQueue } from '@sluice/rocketmq';
import { decodeQueueKey, queueKey } from '../records/keys.ts';
import type { KeyValueStore } from './kv-store.ts';

/**
 * Sink offsets (the next queue offset to deliver) per consumer group and queue. Merges are
 * monotonic: an offset never moves backwards through `advance`, so a stale writer cannot undo
 * progress; a deliberate reset goes through `reset`.
 */
export class OffsetStore {
  readonly #store: KeyValueStore<string>;

  constructor(store: KeyValueStore<string>) {
    this.#store = store;
  }

  static key(group: string, queue: MessageQueue): string {
    return `${group}\u0000${queueKey(queue)}`;
  }

  get(group: string, queue: MessageQueue): bigint | undefined {
    const v = this.#store.get(OffsetStore.key(group, queue));
    return v === undefined ? undefined : BigInt(v);
  }

  /** Every stored offset of a group. */
  list(group: string): { queue: MessageQueue; offset: bigint }[] {
    const prefix = `${group}\u0000`;
    const out: { queue: MessageQueue; offset: bigint }[] = [];
    for (const [k, v] of this.#store.entries()) {
      if (!k.startsWith(prefix)) continue;
      out.push({ queue: decodeQueueKey(k.slice(prefix.length)), offset: BigInt(v) });
    }
    return out;
  }

  async advance(group: string, offsets: ReadonlyMap<MessageQueue, bigint>): Promise<void> {
    const updates = new Map<string, string>();
    for (const [queue, offset] of offsets) {
      const current = this.get(group, queue);
      if (current === undefined || offset > current)
        updates.set(OffsetStore.key(group, queue), String(offset));
    }
    if (updates.size > 0) await this.#store.putAll(updates);
  }

  async reset(group: string, offsets: ReadonlyMap<MessageQueue, bigint | undefined>): Promise<void> {
    await this.#store.putAll(
      new Map(
        [...offsets].map(([q, o]) => [OffsetStore.key(group, q), o === undefined ? undefined : String(o)]),
      ),
    );
  }
}
