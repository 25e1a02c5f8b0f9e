import type { QueueRef, SinkRecord, SourcePartition, SourcePosition, SourceRecord } from './record.ts';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ConnectorContext {
  readonly name: string;
  readonly logger: Logger;
  /** Ask the runtime to call `taskConfigs` again (the source found new partitions, say). */
  requestTaskReconfiguration(): void;
  /** Fail the connector with this error (shown in its status). */
  raiseError(err: Error): void;
}

export interface SourceTaskContext {
  readonly connector: string;
  readonly taskId: number;
  readonly logger: Logger;
  /** The stored position of a partition, or undefined if it was never stored. */
  position(partition: SourcePartition): Promise<SourcePosition | undefined>;
  /**
   * A record this task read but cannot turn into a good one (its data breaks the mapping, say):
   * do not also return it from `poll`. The runtime deals with it by the connector's `errors.*`
   * keys: with `errors.tolerance=all` it is logged if asked, written to the dead-letter topic if
   * one is set, counted in the task's status, and its position is stored like any record's once
   * that is done; with `none` (the default) the task fails with `err` as the reason. The promise
   * resolves when the record has been dealt with (it never rejects); awaiting it is optional.
   * Order matters, as for every record: one reported during a `poll` counts as read before the
   * records that poll returns (a task that meets a bad record after good ones returns those
   * first and reports the bad one in its next poll).
   */
  reportBadRecord(record: SourceRecord, err: Error): Promise<void>;
}

export interface SinkTaskContext {
  readonly connector: string;
  readonly taskId: number;
  readonly logger: Logger;
  /** Stop handing over records of these queues until `resume` (backpressure). */
  pause(queues: readonly QueueRef[]): void;
  resume(queues: readonly QueueRef[]): void;
  /**
   * A record of the current `put` that cannot be written (the destination refuses it for good):
   * like Kafka Connect's ErrantRecordReporter. With `errors.tolerance=all` the runtime logs it
   * if asked, writes it to the dead-letter topic if one is set and counts it in the task's
   * status; its offset is stored with the batch's, and only after the dead-letter write was
   * acknowledged. With `none` (the default) the batch counts as not delivered and the task fails
   * with `err` as the reason. The promise resolves when the record has been dealt with (it never
   * rejects); `put` may return without awaiting it.
   */
  reportBadRecord(record: SinkRecord, err: Error): Promise<void>;
  /**
   * Who runs this task, as headers for every record it writes: `sluice.connector`,
   * `sluice.task`, `sluice.epoch` (a whole number, higher for each new owner) and
   * `sluice.worker`; undefined when the worker's `ownerHeaders` is off. A sink whose destination
   * has record headers adds them (replacing headers of those names the record carried): a reader
   * can then check that per destination partition a connector's epochs never go back, which is
   * one owner at a time.
   */
  readonly ownerHeaders?: Readonly<Record<string, string>>;
}
