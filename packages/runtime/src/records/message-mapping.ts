import type { SinkRecord, SourceRecord } from '@sluice/connect-api';
import type { Message, MessageExt, MessageQueue } from '@sluice/rocketmq';
import { escapeHeaders, unescapeHeaders } from './header-escape.ts';

// Records ↔ RocketMQ messages, both ways, side by side: what a source task's record becomes in
// RocketMQ, and what a sink task sees of a RocketMQ message. Keys travel as KEYS, tags as TAGS,
// headers as user properties (escaped where RocketMQ cannot hold them: header-escape.ts), and a
// record's own timestamp in one property of ours.

/** The user property a source record's own timestamp travels in (RocketMQ sets born time itself). */
export const TIMESTAMP_PROPERTY = 'sluice.timestamp';

/** The RocketMQ message a source record becomes, with `owner`'s headers (they win over the record's). */
export function toMessage(record: SourceRecord, owner?: Readonly<Record<string, string>>): Message {
  const properties: Record<string, string> = { ...escapeHeaders(record.headers ?? {}), ...owner };
  if (record.timestamp !== undefined) properties[TIMESTAMP_PROPERTY] = String(record.timestamp);
  return {
    topic: record.topic,
    body: record.value
      ? Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength)
      : Buffer.alloc(0),
    ...(record.key ? { keys: record.key } : {}),
    ...(record.tags ? { tags: record.tags } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

/** The record a sink task sees for a RocketMQ message. */
export function toSinkRecord(queue: MessageQueue, m: MessageExt): SinkRecord {
  // A source's record timestamp comes back as the record's timestamp, not as a header.
  const { [TIMESTAMP_PROPERTY]: carried, ...properties } = m.userProperties;
  const headers = unescapeHeaders(properties);
  const timestamp = carried !== undefined && /^\d{1,16}$/.test(carried) ? Number(carried) : m.bornTimestamp;
  return {
    queue,
    offset: m.queueOffset,
    topic: m.topic,
    ...(m.keys.length > 0 ? { key: m.keys.join(' ') } : {}),
    value: m.body,
    headers,
    ...(m.tags !== undefined ? { tags: m.tags } : {}),
    timestamp,
    msgId: m.msgId,
  };
}
