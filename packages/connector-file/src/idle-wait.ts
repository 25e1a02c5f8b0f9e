/**
 * The pause of a task whose input has nothing new, ended early by its stop signal. One timer and
 * one abort listener for the task's whole life, not one of each per poll: an idle task polls ten
 * times a second, and a thousand of them made garbage faster than V8 gave it back.
 */
export class IdleWait {
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerMs = 0;
  #signal: AbortSignal | undefined;
  readonly #fire = () => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };
  readonly #onAbort = () => {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#fire();
  };

  /** Resolves after `ms`, or at once when `signal` aborts. One wait at a time. */
  wait(signal: AbortSignal, ms: number): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    if (this.#signal !== signal) {
      this.#signal?.removeEventListener('abort', this.#onAbort);
      this.#signal = signal;
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
      // The timer of the last wait, started again: refresh() reuses it instead of making one.
      if (this.#timer && this.#timerMs === ms) this.#timer.refresh();
      else {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(this.#fire, ms);
        this.#timerMs = ms;
      }
    });
  }

  /** Ends a wait in progress and lets go of the signal. */
  close(): void {
    this.#onAbort();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#signal = undefined;
  }
}
