import type { ConfigIssue, ConfigSpec, ConnectorConfig } from './config.ts';
import type { ConnectorContext, Logger, SinkTaskContext, SourceTaskContext } from './context.ts';
import type { RecordAck, SinkRecord, SourceRecord } from './record.ts';

/**
 * Every call the runtime makes into connector code is bounded by a timeout, and a call that
 * throws or times out fails that connector or task only: the worker and other tasks go on.
 * Methods may be synchronous or return a promise.
 */
type MaybePromise<T> = T | Promise<T>;

interface ConnectorBase {
  readonly configSpec: ConfigSpec;
  /** Checks beyond the spec (fields that depend on each other). Must not reach out to other systems. */
  validate?(config: ConnectorConfig): MaybePromise<ConfigIssue[]>;
  /** Called once with a validated config before `taskConfigs`. */
  start(config: ConnectorConfig, ctx: ConnectorContext): MaybePromise<void>;
  /**
   * Splits the work into at most `maxTasks` task configs (fewer when there is less to share).
   * Each task gets one; the runtime adds nothing the connector did not put there.
   */
  taskConfigs(maxTasks: number): MaybePromise<ConnectorConfig[]>;
  stop(): MaybePromise<void>;
}

export interface SourceConnector extends ConnectorBase {
  readonly kind: 'source';
  createTask(): SourceTask;
}

export interface SinkConnector extends ConnectorBase {
  readonly kind: 'sink';
  /**
   * The RocketMQ topics to read, from a validated config. Without it the runtime reads the
   * comma-separated `topics` key.
   */
  topics?(config: ConnectorConfig): string[];
  createTask(): SinkTask;
}

export type Connector = SourceConnector | SinkConnector;

/**
 * Reads from an outside system. The runtime calls `poll` in a loop, sends what it returns to
 * RocketMQ (batched, with a bounded number in flight) and stores a partition's position only
 * once every earlier record of that partition was acknowledged by RocketMQ — so after a crash
 * a task resumes at or before its last acknowledged record: at least once, never a gap.
 */
export interface SourceTask {
  /** `ctx.positions` holds where each partition stopped; resume from there. */
  start(config: ConnectorConfig, ctx: SourceTaskContext): MaybePromise<void>;
  /**
   * Returns the next records, or an empty array when there are none right now. It may wait for
   * data, but must return soon after `signal` aborts (the task is stopping or pausing). Throwing a
   * RetriableError (or any error with `retriable: true`) is a passing failure: the runtime polls
   * again after a backoff. An EndOfInputError ends the input: the task ends STOPPED once what it
   * returned before is stored in RocketMQ, and its positions with it. Anything else fails the task.
   */
  poll(signal: AbortSignal): Promise<SourceRecord[]>;
  /** RocketMQ acknowledged this record (in the order of acknowledgement, not of polling). */
  commitRecord?(record: SourceRecord, ack: RecordAck): MaybePromise<void>;
  /** Positions up to the last acknowledged records were stored (e.g. commit upstream too). */
  commit?(): MaybePromise<void>;
  /**
   * How far behind the task is: per source partition (a label an operator reads, e.g.
   * `orders-3`), the records there it has not polled yet, as last seen — for the metrics
   * (`sluice_source_lag_records`). Called when metrics are read, so it must not do I/O: keep
   * the figures from your last fetch. Leave it out when the source cannot tell.
   */
  lag?(): ReadonlyMap<string, number>;
  /** Release resources; no `poll` follows. */
  stop(): MaybePromise<void>;
}

/** Sink offsets: the next offset to read, per queue (`queueKey` → offset). */
export type SinkOffsets = ReadonlyMap<string, bigint>;

/**
 * Writes to an outside system. The runtime pulls the connector's topics, hands each batch to
 * `put`, and stores a queue's offset only after `put` resolved and `flush` (when defined)
 * resolved for it: a record is acknowledged once `put` (or `flush`) says it is durable outside.
 */
export interface SinkTask {
  start(config: ConnectorConfig, ctx: SinkTaskContext): MaybePromise<void>;
  /**
   * Delivers records, in queue order within each queue. Resolving means they are written (or
   * buffered such that `flush` will write them). Throwing a RetriableError (or any error with
   * `retriable: true`) has the same batch handed to `put` again, with backoff, until it succeeds
   * or the task stops; any other error, or a `put` that outlasts the call timeout, fails the task
   * (its offsets stay at the last acknowledged record, so nothing is lost).
   */
  put(records: SinkRecord[], signal: AbortSignal): Promise<void>;
  /**
   * How many `put` calls this task takes at once (leave it out, or 1: each `put` waits for the
   * one before to resolve). With more, the runtime may call `put` again before earlier calls
   * resolved — at most the smaller of this and the connector's `sink.max.in.flight.puts`:
   * - Calls start in queue order: every record of a queue is in a later call than the records
   *   before it in that queue. Per destination partition the task must write its calls in the
   *   order they started, and write none whose earlier calls failed to write there (an idempotent
   *   Kafka producer does both: its requests go one after the other, and the broker refuses a
   *   batch whose predecessor it does not have). A call may resolve before an earlier one; the
   *   runtime takes completions in order.
   * - A queue's offset is stored only up to its first record whose call has not resolved.
   * - When a call fails (retriably or not), the runtime starts no new call; it waits until no
   *   call is in flight, then hands over again, one call at a time with the usual retries, that call's records and those
   *   of every later call, including calls that had resolved: each queue's records end up
   *   written in queue order (some twice: at least once). A call timing out fails the task.
   * - `reportBadRecord` may come from any call in flight; a call counts as done once every
   *   report made until it resolved was dealt with.
   */
  readonly maxConcurrentPuts?: number;
  /**
   * Make everything `put` so far durable; called before offsets are stored, and only for
   * records whose `put` resolved (later calls may still be in flight).
   */
  flush?(offsets: SinkOffsets): MaybePromise<void>;
  /** Adjust the offsets about to be stored (a sink that commits asynchronously may lower them). */
  preCommit?(offsets: SinkOffsets): MaybePromise<SinkOffsets>;
  stop(): MaybePromise<void>;
}

export type { Logger, RecordAck, SinkRecord, SourceRecord };
