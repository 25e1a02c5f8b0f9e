import type { SinkRecord, SourceRecord } from '@sluice/connect-api';
import type { Message, MessageExt, MessageQueue } from '@sluice/rocketmq';
import { escapeHeaders, unescapeInto } from './header-escape.ts';

// Records ↔ RocketMQ messages, both ways, side by side: what a source task's record becomes in
// RocketMQ, and what a sink task sees of a RocketMQ message. Keys travel as KEYS, tags as TAGS,
// headers as user properties (escaped where RocketMQ cannot hold them: header-escape.ts), and a
// record's own timestamp in one property of ours.

/** The user property a source record's own timestamp travels in (RocketMQ sets born time itself). */
export const TIMESTAMP_PROPERTY = 'sluice.timestamp';

/** The RocketMQ message a source record becomes, with `owner`'s headers (they win over the record's). */
export function toMessage(record: SourceRecord, owner?: Readonly<Record<string, string>>): Message {
  const properties: Record<string, string> = {};
  if (record.headers) escapeHeaders(record.headers, properties);
  if (owner) for (const k in owner) properties[k] = owner[k]!;
  if (record.timestamp !== undefined) properties[TIMESTAMP_PROPERTY] = String(record.timestamp);
  const v = record.value;
  // Made field by field, not by spreading optional parts: this runs for every record sent.
  const m: Message = {
    topic: record.topic,
    body: v ? (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)) : Buffer.alloc(0),
  };
  if (record.key) m.keys = record.key;
  if (record.tags) m.tags = record.tags;
  for (const _ in properties) {
    m.properties = properties;
    break;
  }
  return m;
}

/** The record a sink task sees for a RocketMQ message. */
export function toSinkRecord(queue: MessageQueue, m: MessageExt): SinkRecord {
  const headers: Record<string, string> = {};
  // A source's record timestamp comes back as the record's timestamp, not as a header.
  let carried: string | undefined;
  const props = m.userProperties;
  for (const name in props) {
    if (name === TIMESTAMP_PROPERTY) carried = props[name];
    else unescapeInto(headers, name, props[name]!);
  }
  const timestamp = carried !== undefined && /^\d{1,16}$/.test(carried) ? Number(carried) : m.bornTimestamp;
  const r: SinkRecord = {
    queue,
    offset: m.queueOffset,
    topic: m.topic,
    value: m.body,
    headers,
    timestamp,
    msgId: m.msgId,
  };
  if (m.keys.length > 0) r.key = m.keys.length === 1 ? m.keys[0]! : m.keys.join(' ');
  if (m.tags !== undefined) r.tags = m.tags;
  return r;
}
