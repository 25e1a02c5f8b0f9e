import { isRetriableError } from '@sluice/connect-api';
import { isRetriable } from '@sluice/rocketmq';
import type { RestartPolicy } from '../errant/policy.ts';
import { ConnectorTimeoutError } from './timeout.ts';

/**
 * Whether a task failed for a cause that passes by itself: an error marked retriable (by the
 * connector, the RocketMQ client or the runtime), or a call into the task that did not return in
 * time — an outside system that is away makes a put or a poll hang.
 */
export function isPassingFailure(err: unknown): boolean {
  return err instanceof ConnectorTimeoutError || isRetriableError(err) || isRetriable(err);
}

export interface RestartHistory {
  /** Restarts so far since the task last ran healthy. */
  attempt: number;
  /** When (ms, monotonic) the current runner started. */
  startedAt: number;
}

/**
 * The next automatic restart of a failed task, or undefined when it stays FAILED. A task that
 * ran `maxMs` without failing counts as healthy: its attempts start over at the initial wait.
 */
export function nextRestart(
  policy: RestartPolicy,
  err: unknown,
  history: RestartHistory,
  now: number,
): { attempt: number; delayMs: number } | undefined {
  if (!policy.always && !isPassingFailure(err)) return undefined;
  const healthy = now - history.startedAt >= policy.maxMs;
  const attempt = healthy ? 1 : history.attempt + 1;
  const delayMs = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt - 1, 30));
  return { attempt, delayMs };
}
