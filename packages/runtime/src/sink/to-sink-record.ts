import type { SinkRecord } from '@sluice/connect-api';
import type { MessageExt, MessageQueue } from '@sluice/rocketmq';
import { TIMESTAMP_PROPERTY } from '../source/queue-sender.ts';

/** The record a sink task sees for a RocketMQ message. */
export function toSinkRecord(queue: MessageQueue, m: MessageExt): SinkRecord {
  // A source's record timestamp comes back as the record's timestamp, not as a header.
  const { [TIMESTAMP_PROPERTY]: carried, ...headers } = m.userProperties;
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
