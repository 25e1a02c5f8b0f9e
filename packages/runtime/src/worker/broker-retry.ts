import { isRetriable } from '@sluice/rocketmq';

/**
 * Runs a call to the brokers again while it fails with a retriable error (a broker restarting,
 * a route not yet registered), backing off from 100 ms to 5 s, for at most `forMs`; then the last
 * error stands. For the runtime's own broker calls around a task's start, not for connector code.
 */
export async function retryBroker<T>(
  fn: () => Promise<T>,
  opts: { forMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.forMs ?? 60_000);
  let backoff = 100;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetriable(err) || Date.now() + backoff > deadline || opts.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 5000);
    }
  }
}
