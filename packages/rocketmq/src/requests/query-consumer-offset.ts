// QUERY_CONSUMER_OFFSET (14), client → broker (spec §4.5).
import { RequestCode, ResponseCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, headerLong, type Request } from '../transport/request.ts';

export interface QueueRef {
  topic: string;
  brokerName: string;
  queueId: number;
}

export function encodeQueryConsumerOffset(group: string, q: QueueRef, setZeroIfNotFound = false): Request {
  return {
    code: RequestCode.QUERY_CONSUMER_OFFSET,
    extFields: fields({
      consumerGroup: group,
      topic: q.topic,
      queueId: q.queueId,
      setZeroIfNotFound,
      bname: q.brokerName,
    }),
  };
}

/** The group's stored offset, or undefined when it has none for the queue. */
export function decodeQueryConsumerOffset(cmd: RemotingCommand): bigint | undefined {
  if (cmd.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
  return headerLong(expectSuccess(cmd, 'query consumer offset'), 'offset');
}
