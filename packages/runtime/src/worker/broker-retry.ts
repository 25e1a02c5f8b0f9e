import { isRetriable } from '@sluice/rocketmq';
import { BROKER_BACKOFF, retry } from '../backoff.ts';

/** How long the runtime's own broker calls around a task's start ride out a broker by default. */
export const BROKER_RETRY_MS = 60_000;

/**
 * Runs a call to the brokers again while it fails with a retriable error (a broker restarting,
 * a route not yet registered), backing off from 100 ms to 5 s, for at most `forMs`; then the last
 * error stands. For the runtime's own broker calls around a task's start, not for connector code.
 */
export function retryBroker<T>(
  fn: () => Promise<T>,
  opts: { forMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  return retry(fn, {
    policy: BROKER_BACKOFF,
    retriable: isRetriable,
    forMs: opts.forMs ?? BROKER_RETRY_MS,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
