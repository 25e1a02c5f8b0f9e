import type { SinkRecord } from '@sluice/connect-api';
import type { MessageExt, MessageQueue } from '@sluice/rocketmq';

/** The record a sink task sees for a RocketMQ message. */
export function toSinkRecord(queue: MessageQueue, m: MessageExt): SinkRecord {
  return {
    queue,
    offset: m.queueOffset,
    topic: m.topic,
    ...(m.keys.length > 0 ? { key: m.keys.join(' ') } : {}),
    value: m.body,
    headers: m.userProperties,
    ...(m.tags !== undefined ? { tags: m.tags } : {}),
    timestamp: m.bornTimestamp,
    msgId: m.msgId,
  };
}
