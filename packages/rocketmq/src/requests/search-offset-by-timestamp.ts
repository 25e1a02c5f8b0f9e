// SEARCH_OFFSET_BY_TIMESTAMP (29), client → broker (spec §4.5): first message stored at or after.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, headerLong, type Request } from '../transport/request.ts';
import type { QueueRef } from './query-consumer-offset.ts';

export function encodeSearchOffsetByTimestamp(
  q: QueueRef,
  timestamp: number,
  boundary: 'LOWER' | 'UPPER' = 'LOWER',
): Request {
  return {
    code: RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
    extFields: fields({
      topic: q.topic,
      queueId: q.queueId,
      timestamp,
      boundaryType: boundary,
      bname: q.brokerName,
    }),
  };
}

export function decodeSearchOffsetByTimestamp(cmd: RemotingCommand): bigint {
  return headerLong(expectSuccess(cmd, 'offset by timestamp'), 'offset');
}
