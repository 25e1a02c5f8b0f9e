/** Identifies a partition of the outside system a source reads (e.g. a Kafka topic-partition). */
export type SourcePartition = Readonly<Record<string, string | number>>;

/** A position in a source partition: where to resume after this record (e.g. `{ offset: 42 }`). */
export type SourcePosition = Readonly<Record<string, string | number>>;

/** Headers travel as RocketMQ user properties: string names and values. */
export type Headers = Readonly<Record<string, string>>;

/**
 * A record a source task produces, to be written to RocketMQ. Once `poll` returned it, the record
 * and the objects it holds belong to the runtime: do not change them. A task may return the same
 * `sourcePartition` object for every record of a partition (the runtime then names it only once).
 */
export interface SourceRecord {
  sourcePartition: SourcePartition;
  /** The position to store once this record (and every earlier one of its partition) is acknowledged. */
  sourcePosition: SourcePosition;
  /** Destination RocketMQ topic. */
  topic: string;
  /** Becomes the message's KEYS and chooses its queue: records with one key keep their order. */
  key?: string;
  /** The body; null and empty are carried as an empty body. */
  value: Uint8Array | null;
  headers?: Headers;
  tags?: string;
  /** Milliseconds since the epoch, carried as a user property. */
  timestamp?: number;
}

/** Where a sink record came from: one queue of one broker. */
export interface QueueRef {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** A record a sink task receives, read from RocketMQ. */
export interface SinkRecord {
  queue: QueueRef;
  /** The message's queue offset; the sink offset stored after it is `offset + 1`. */
  offset: bigint;
  topic: string;
  key?: string;
  value: Uint8Array;
  headers: Headers;
  tags?: string;
  /** When the producer sent it (ms since the epoch). */
  timestamp: number;
  msgId: string;
}

/** What RocketMQ said about an acknowledged source record. */
export interface RecordAck {
  msgId: string;
  queue: QueueRef;
  offset: bigint;
}
