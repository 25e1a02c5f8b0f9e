import { isUtf8 } from 'node:buffer';
import type { SinkRecord, SourcePartition, SourceRecord } from '@sluice/connect-api';
import type { FetchedRecord, OutgoingKafkaRecord } from './kafka-client.ts';

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
  return {
    sourcePartition: partition,
    sourcePosition: { offset: Number(r.offset + 1n) },
    topic: to,
    ...(r.key && r.key.length > 0 ? { key: r.key.toString('utf8') } : {}),
    value: r.value,
    headers,
    ...(tags ? { tags } : {}),
    timestamp: r.timestamp,
  };
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
 */
export function sinkToKafka(
  r: SinkRecord,
  to: string,
  loop: LoopGuard,
  owner?: Readonly<Record<string, string>>,
): OutgoingKafkaRecord | undefined {
  if (loop.enabled && echoes(r.headers[loop.marker], `kafka:${to}`)) return undefined;
  const headers: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries({ ...r.headers, ...owner })) headers[k] = Buffer.from(v, 'utf8');
  if (r.tags) headers[TAGS_HEADER] = Buffer.from(r.tags, 'utf8');
  if (loop.enabled) headers[loop.marker] = Buffer.from(`rocketmq:${r.topic}`);
  return {
    topic: to,
    ...(r.key ? { key: Buffer.from(r.key, 'utf8') } : {}),
    value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
    headers,
    timestamp: r.timestamp,
  };
}
