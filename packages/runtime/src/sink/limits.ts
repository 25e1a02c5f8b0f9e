/** Every backpressure limit of a sink task has a name and a default. */
export interface SinkLimits {
  /** Messages asked for per pull of one queue (a broker answers at most 32). */
  pullBatchSize: number;
  /** Records handed to one `put`. */
  maxPutRecords: number;
  /** Long-poll time when every assigned queue is drained. */
  idlePollMs: number;
  commitIntervalMs: number;
  callTimeoutMs: number;
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
}

export const DEFAULT_SINK_LIMITS: SinkLimits = {
  pullBatchSize: 32,
  maxPutRecords: 500,
  idlePollMs: 1000,
  commitIntervalMs: 5000,
  callTimeoutMs: 30_000,
  retryBackoffMs: 100,
  maxRetryBackoffMs: 5000,
};
