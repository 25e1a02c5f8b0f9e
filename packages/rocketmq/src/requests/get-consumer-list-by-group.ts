// GET_CONSUMER_LIST_BY_GROUP (38), client → broker (spec §4.6): the client ids of a group's live
// consumers, as their heartbeats named them.
import { RequestCode, ResponseCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { parseLenientJson } from '../protocol/lenient-json.ts';
import { expectSuccess, type Request } from '../transport/request.ts';

export function encodeGetConsumerListByGroup(consumerGroup: string): Request {
  return { code: RequestCode.GET_CONSUMER_LIST_BY_GROUP, extFields: { consumerGroup } };
}

export function decodeGetConsumerListByGroup(cmd: RemotingCommand): string[] {
  // The broker answers SYSTEM_ERROR "no consumer for this group" when the group is empty.
  if (cmd.code === ResponseCode.SYSTEM_ERROR && /no consumer/i.test(cmd.remark ?? '')) return [];
  expectSuccess(cmd, 'consumer list');
  return (
    parseLenientJson<{ consumerIdList?: string[] }>(cmd.body?.toString('utf8') ?? '{}').consumerIdList ?? []
  );
}
