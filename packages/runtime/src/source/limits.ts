/** Every backpressure limit of a source task has a name and a default. */
export interface SourceLimits {
  /** Records sent and not yet acknowledged; `poll` waits while at the limit. */
  maxInFlightRecords: number;
  /**
   * Body bytes sent and not yet acknowledged; `poll` waits while at the limit. With large
   * records the record count alone would let memory run away (10,000 × 1 MiB).
   */
  maxInFlightBytes: number;
  /** Records in one RocketMQ batch. */
  maxBatchRecords: number;
  /** Body bytes in one RocketMQ batch (the broker's message size limit is 4 MiB). */
  maxBatchBytes: number;
  /** How often positions are stored. */
  commitIntervalMs: number;
  /** Time allowed to each call into connector code. */
  callTimeoutMs: number;
  /** First and largest wait between retries of a failed send. */
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxInFlightRecords: 10_000,
  // 8 MiB (was 16): with 1 KiB records still 8,000 in flight, and less to hold and collect.
  maxInFlightBytes: 8 * 1024 * 1024,
  maxBatchRecords: 256,
  maxBatchBytes: 1024 * 1024,
  commitIntervalMs: 5000,
  callTimeoutMs: 30_000,
  retryBackoffMs: 100,
  maxRetryBackoffMs: 5000,
};

/** How often a running task reads its topics' routes again (queues added, masters away). */
export const ROUTE_REFRESH_MS = 30_000;
