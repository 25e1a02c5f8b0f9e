/**
 * Every retry loop of the runtime waits through this one helper: exponential backoff from
 * `initialMs`, doubling to at most `maxMs`, reset by the caller after a success.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** The runtime's own broker calls (group creation, routes): 100 ms up to 5 s. */
export const BROKER_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 5000 };

export class Backoff {
  readonly #policy: BackoffPolicy;
  #next: number;

  constructor(policy: BackoffPolicy) {
    this.#policy = policy;
    this.#next = policy.initialMs;
  }

  /** The wait before the next try; each call doubles the one after, up to the maximum. */
  next(): number {
    const ms = this.#next;
    this.#next = Math.min(this.#next * 2, this.#policy.maxMs);
    return ms;
  }

  /** Waits `next()` ms, or less if `signal` aborts first. */
  wait(signal?: AbortSignal): Promise<void> {
    return sleep(this.next(), signal);
  }

  reset(): void {
    this.#next = this.#policy.initialMs;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn` again while it fails with an error `retriable` accepts, waiting with backoff, for at
 * most `forMs` in all; then, or on any other error, or once `signal` aborted, the error stands.
 */
export async function retry<T>(
  fn: () => Promise<T>,
  opts: { policy: BackoffPolicy; retriable: (err: unknown) => boolean; forMs: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + opts.forMs;
  const backoff = new Backoff(opts.policy);
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const wait = backoff.next();
      if (!opts.retriable(err) || Date.now() + wait > deadline || opts.signal?.aborted) throw err;
      await sleep(wait, opts.signal);
    }
  }
}
