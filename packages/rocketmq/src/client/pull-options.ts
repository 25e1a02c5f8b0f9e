import type { ClientOptions } from './options.ts';

export interface PullConsumerOptions extends ClientOptions {
  group: string;
  /** The id this client is listed under in its group (default `ip@pid#random`). */
  clientId?: string;
  /** Heartbeat period (default 30 s; brokers forget a silent client after 120 s). */
  heartbeatMs?: number;
}

export interface PullOptions {
  /** Tag expression, `*` (default) or `TagA || TagB`. */
  tags?: string;
  maxMessages?: number;
  maxBytes?: number;
  /** Long polling: how long the broker may hold the pull when there is nothing new (default 0: answer at once). */
  suspendMs?: number;
  timeoutMs?: number;
  /**
   * Gives up waiting (an `ABORTED` error) when aborted, e.g. to stop at once instead of after a
   * long poll. The broker may still answer; that answer is dropped, and nothing was consumed.
   */
  signal?: AbortSignal;
}
