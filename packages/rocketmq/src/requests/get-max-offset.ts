// GET_MAX_OFFSET (30), client → broker (spec §4.5): one past the last message of a queue.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, headerLong, type Request } from '../transport/request.ts';
import type { QueueRef } from './query-consumer-offset.ts';

export function encodeGetMaxOffset(q: QueueRef): Request {
  return {
    code: RequestCode.GET_MAX_OFFSET,
    extFields: fields({ topic: q.topic, queueId: q.queueId, bname: q.brokerName }),
  };
}

export function decodeGetMaxOffset(cmd: RemotingCommand): bigint {
  return headerLong(expectSuccess(cmd, 'max offset'), 'offset');
}
