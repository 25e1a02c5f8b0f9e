// GET_MIN_OFFSET (31), client → broker (spec §4.5): the oldest offset still stored.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, headerLong, type Request } from '../transport/request.ts';
import type { QueueRef } from './query-consumer-offset.ts';

export function encodeGetMinOffset(q: QueueRef): Request {
  return {
    code: RequestCode.GET_MIN_OFFSET,
    extFields: fields({ topic: q.topic, queueId: q.queueId, bname: q.brokerName }),
  };
}

export function decodeGetMinOffset(cmd: RemotingCommand): bigint {
  return headerLong(expectSuccess(cmd, 'min offset'), 'offset');
}
