// UPDATE_CONSUMER_OFFSET (15), client → broker (spec §4.5). Sent two-way here, so that a commit
// is known to have reached the broker (Java's periodic commit sends it oneway).
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, type Request } from '../transport/request.ts';
import type { QueueRef } from './query-consumer-offset.ts';

export function encodeUpdateConsumerOffset(group: string, q: QueueRef, offset: bigint): Request {
  return {
    code: RequestCode.UPDATE_CONSUMER_OFFSET,
    extFields: fields({
      consumerGroup: group,
      topic: q.topic,
      queueId: q.queueId,
      commitOffset: offset,
      bname: q.brokerName,
    }),
  };
}

export function decodeUpdateConsumerOffset(cmd: RemotingCommand): void {
  expectSuccess(cmd, 'commit consumer offset');
}
