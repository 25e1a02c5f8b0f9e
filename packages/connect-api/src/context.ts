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
  /** A record that cannot be produced; the runtime reports it (and fails or skips per its policy). */
  reportBadRecord(record: SourceRecord, err: Error): void;
}

export interface SinkTaskContext {
  readonly connector: string;
  readonly taskId: number;
  readonly logger: Logger;
  /** Stop handing over records of these queues until `resume` (backpressure). */
  pause(queues: readonly QueueRef[]): void;
  resume(queues: readonly QueueRef[]): void;
  /** A record that cannot be written; the runtime reports it (and fails or skips per its policy). */
  reportBadRecord(record: SinkRecord, err: Error): void;
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
