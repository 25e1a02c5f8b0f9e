import type { SourcePartition, SourcePosition } from '@sluice/connect-api';
import { partitionKey } from '../records/keys.ts';

/**
 * The same, remembered per partition object: a connector that hands out one object per
 * partition (as it may: partitions are plain data) pays for the text once, not per record.
 */
const keyOf = new WeakMap<SourcePartition, string>();
function cachedPartitionKey(partition: SourcePartition): string {
  let key = keyOf.get(partition);
  if (key === undefined) {
    key = partitionKey(partition);
    keyOf.set(partition, key);
  }
  return key;
}

interface Pending {
  readonly state: PartitionState;
  readonly position: SourcePosition;
  acked: boolean;
}

interface PartitionState {
  readonly partition: SourcePartition;
  readonly pending: Pending[];
  /** Index of the first pending entry not yet removed (avoids shifting the array per ack). */
  head: number;
  /** Highest position whose record and every earlier record of the partition were acknowledged. */
  committable: SourcePosition | undefined;
  dirty: boolean;
}

/**
 * Tracks source records from poll to acknowledgement. A partition's position may be stored only
 * when every earlier record of that partition was acknowledged: acks arrive out of order (several
 * sends in flight, several queues), and storing the position of a later record past an
 * unacknowledged earlier one would lose that record on a crash.
 */
export class PositionTracker {
  readonly #partitions = new Map<string, PartitionState>();
  readonly #bySeq = new Map<number, Pending>();
  #nextSeq = 0;

  /** Registers a polled record before it is sent; returns the id to acknowledge it by. */
  submit(partition: SourcePartition, position: SourcePosition): number {
    const key = cachedPartitionKey(partition);
    let state = this.#partitions.get(key);
    if (!state) {
      state = { partition, pending: [], head: 0, committable: undefined, dirty: false };
      this.#partitions.set(key, state);
    }
    const seq = this.#nextSeq++;
    const entry: Pending = { state, position, acked: false };
    state.pending.push(entry);
    this.#bySeq.set(seq, entry);
    return seq;
  }

  /** RocketMQ acknowledged the record. Unknown or repeated ids are ignored. */
  ack(seq: number): void {
    const entry = this.#bySeq.get(seq);
    if (!entry) return;
    this.#bySeq.delete(seq);
    entry.acked = true;
    const state = entry.state;
    while (state.head < state.pending.length && state.pending[state.head]!.acked) {
      state.committable = state.pending[state.head]!.position;
      state.dirty = true;
      state.head++;
    }
    // Compact once the consumed prefix dominates, so memory follows the in-flight count.
    if (state.head > 1024 && state.head * 2 > state.pending.length) {
      state.pending.splice(0, state.head);
      state.head = 0;
    }
  }

  /** Records submitted and not yet acknowledged. */
  get inFlight(): number {
    return this.#bySeq.size;
  }

  /**
   * Positions that advanced since the last call: the partition and the highest position whose
   * record, and every earlier one, were acknowledged. Calling it marks them clean.
   */
  takeCommittable(): { partition: SourcePartition; position: SourcePosition }[] {
    const out: { partition: SourcePartition; position: SourcePosition }[] = [];
    for (const state of this.#partitions.values()) {
      if (!state.dirty || !state.committable) continue;
      out.push({ partition: state.partition, position: state.committable });
      state.dirty = false;
    }
    return out;
  }

  /** Puts positions back as dirty after a failed store, so the next commit retries them. */
  restore(entries: readonly { partition: SourcePartition }[]): void {
    for (const { partition } of entries) {
      const state = this.#partitions.get(partitionKey(partition));
      if (state?.committable) state.dirty = true;
    }
  }
}
