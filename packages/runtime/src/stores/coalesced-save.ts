/**
 * Saves a state that changes often at most once per `intervalMs`, one save at a time: `changed()`
 * says the state moved on, and the save that then runs writes the state as it is by then. For a
 * local copy of what a log already holds durably: a save skipped by a crash costs a longer replay
 * at the next start, never data. (Saving on every change rewrote the whole copy per record: with
 * 2,000 connectors, gigabytes of JSON while they were being created.)
 */
export class CoalescedSave {
  readonly #save: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(save: () => Promise<void>, intervalMs: number, onError: (err: unknown) => void) {
    this.#save = save;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  changed(): void {
    this.#dirty = true;
    if (!this.#timer && !this.#running) this.#schedule();
  }

  /** Saves now what changed and is not saved yet; resolves once it is. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
    if (this.#dirty) await this.#run();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#run();
    }, this.#intervalMs);
    // A pending save must not keep the process alive: close() flushes it.
    this.#timer.unref();
  }

  #run(): Promise<void> {
    this.#dirty = false;
    const running = this.#save()
      .catch(this.#onError)
      .finally(() => {
        this.#running = undefined;
        if (this.#dirty && !this.#timer) this.#schedule();
      });
    this.#running = running;
    return running;
  }
}
