/**
 * A sink task's lag per queue: the queue's max offset (from every pull's answer, so it costs no
 * extra call) minus the offset last committed. It reaches 0 only once what was read is stored.
 */
export class QueueLag {
  readonly #max = new Map<string, bigint>();
  readonly #committed = new Map<string, bigint>();

  /** Where the task starts in each queue: committed so far. */
  constructor(start: ReadonlyMap<string, bigint>) {
    for (const [q, o] of start) this.#committed.set(q, o);
  }

  pulled(queue: string, maxOffset: bigint): void {
    this.#max.set(queue, maxOffset);
  }

  committed(queue: string, offset: bigint): void {
    this.#committed.set(queue, offset);
  }

  /** Queue → records behind; a queue not pulled yet is left out. */
  view(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [q, max] of this.#max) {
      const at = this.#committed.get(q);
      if (at !== undefined) out.set(q, Math.max(0, Number(max - at)));
    }
    return out;
  }
}
