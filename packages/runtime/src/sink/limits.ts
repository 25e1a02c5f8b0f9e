/** Every backpressure limit of a sink task has a name and a default. */
export interface SinkLimits {
  /** Messages asked for per pull of one queue (a broker answers at most 32). */
  pullBatchSize: number;
  /**
   * Pulls of one queue in flight at once while it holds more than the last answer brought: a
   * broker answers at most 32 messages a pull, so one at a time caps a queue at 32 per round trip.
   */
  pullsAhead: number;
  /** Records handed to one `put`. */
  maxPutRecords: number;
  /**
   * Puts in flight at once, for tasks that take overlapping puts (`SinkTask.maxConcurrentPuts`);
   * the smaller of the two applies.
   */
  maxInFlightPuts: number;
  /** Records pulled ahead of `put`, over all the task's queues; pulling waits at this mark. */
  maxBufferedRecords: number;
  /** Long-poll time of a drained queue (the broker answers at once when a message arrives). */
  idlePollMs: number;
  commitIntervalMs: number;
  callTimeoutMs: number;
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
}

export const DEFAULT_SINK_LIMITS: SinkLimits = {
  pullBatchSize: 32,
  pullsAhead: 3,
  maxPutRecords: 500,
  maxInFlightPuts: 4,
  maxBufferedRecords: 2000,
  idlePollMs: 1000,
  commitIntervalMs: 5000,
  callTimeoutMs: 30_000,
  retryBackoffMs: 100,
  maxRetryBackoffMs: 5000,
};

/** How often a delivery loop that the writer fence holds back looks again. */
export const FENCED_WAIT_MS = 200;
