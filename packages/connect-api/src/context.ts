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
}
