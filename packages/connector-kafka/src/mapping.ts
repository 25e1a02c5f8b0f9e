import { isUtf8 } from 'node:buffer';
import type { SinkRecord, SourcePartition, SourceRecord } from '@sluice/connect-api';
import { headerBytes } from './header-bytes.ts';
import type { FetchedRecord, KafkaHeaderBytes, OutgoingKafkaRecord } from './kafka-client.ts';

/** The Kafka header that carries RocketMQ tags, both ways, so a round trip keeps them. */
export const TAGS_HEADER = 'rocketmq.tags';

export interface LoopGuard {
  enabled: boolean;
  marker: string;
}

/**
 * Loop prevention marks each record with where it came from (`kafka:<topic>` or
 * `rocketmq:<topic>`) and skips a record only when it would go back to where it came from. A
 * two-way sync of one topic never echoes, while a pipeline (Kafka a → RocketMQ m → Kafka b)
 * still flows. The fork's plain `true` is still honoured as "skip".
 */
function echoes(headerValue: string | undefined, destination: string): boolean {
  return headerValue === 'true' || headerValue === destination;
}

/**
 * A Kafka record as the RocketMQ message it becomes: key → KEYS (UTF-8), value byte-exact,
 * headers → user properties (UTF-8), `rocketmq.tags` header → tags, Kafka timestamp kept.
 * Returns undefined for a record this runtime wrote itself (the loop marker is set).
 * `partition` is the record's source partition, `{ topic, partition }`; pass one object per
 * partition to spare the runtime work per record.
 */
export function kafkaToSource(
  r: FetchedRecord,
  to: string,
  loop: LoopGuard,
  defaultTags: string | undefined,
  partition: SourcePartition = { topic: r.topic, partition: r.partition },
): SourceRecord | undefined {
  const headers: Record<string, string> = {};
  let tags = defaultTags;
  for (const [k, v] of r.headers) {
    if (k === TAGS_HEADER) tags = v.toString('utf8');
    // Not text (see badHeaders): kept as base64, so the dead-letter message holds its bytes.
    else headers[k] = isUtf8(v) ? v.toString('utf8') : v.toString('base64');
  }
  if (loop.enabled) {
    if (echoes(headers[loop.marker], `rocketmq:${to}`)) return undefined;
    headers[loop.marker] = `kafka:${r.topic}`;
  }
  // Optional fields set when present, not spread in: a spread made two objects per record.
  const record: SourceRecord = {
    sourcePartition: partition,
    sourcePosition: { offset: Number(r.offset + 1n) },
    topic: to,
    value: r.value,
    headers,
    timestamp: r.timestamp,
  };
  if (r.key && r.key.length > 0) record.key = r.key.toString('utf8');
  if (tags) record.tags = tags;
  return record;
}

/**
 * Why a Kafka record cannot travel as it is, or undefined: RocketMQ properties are text, and a
 * header whose bytes are not UTF-8 would change on the way (the record is then a bad record).
 */
export function badHeaders(r: FetchedRecord): Error | undefined {
  const names = r.headers.filter(([, v]) => !isUtf8(v)).map(([k]) => k);
  if (names.length === 0) return undefined;
  return new Error(
    `Kafka header ${names.map((n) => JSON.stringify(n)).join(', ')} is not UTF-8 text, which RocketMQ properties need (the dead-letter message carries it as base64)`,
  );
}

/**
 * A RocketMQ message as the Kafka record it becomes: KEYS → key, body byte-exact, user properties
 * → headers, tags → `rocketmq.tags`, the message's timestamp kept. Undefined for a marked one.
 * The record comes ready for the producer (header bytes, timestamp as bigint): no copy of it is
 * made on the way out.
 */
export function sinkToKafka(
  r: SinkRecord,
  to: string,
  loop: LoopGuard,
  owner?: Readonly<Record<string, string>>,
): OutgoingKafkaRecord | undefined {
  if (loop.enabled && echoes(r.headers[loop.marker], `kafka:${to}`)) return undefined;
  const headers: KafkaHeaderBytes = new Map();
  for (const k in r.headers) {
    // What is set below wins over a property of the same name, as it always did.
    if ((owner && k in owner) || k === TAGS_HEADER || (loop.enabled && k === loop.marker)) continue;
    headers.set(headerBytes(k), Buffer.from(r.headers[k]!, 'utf8'));
  }
  if (owner) for (const k in owner) headers.set(headerBytes(k), headerBytes(owner[k]!));
  if (r.tags) headers.set(headerBytes(TAGS_HEADER), Buffer.from(r.tags, 'utf8'));
  if (loop.enabled) headers.set(headerBytes(loop.marker), headerBytes(`rocketmq:${r.topic}`));
  const v = r.value;
  // One shape for every record (no spread of optional parts): cheaper to make and to read.
  const out: OutgoingKafkaRecord = {
    topic: to,
    value: Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength),
    headers,
  };
  if (r.key) out.key = Buffer.from(r.key, 'utf8');
  if (r.timestamp !== undefined) out.timestamp = BigInt(r.timestamp);
  return out;
}
