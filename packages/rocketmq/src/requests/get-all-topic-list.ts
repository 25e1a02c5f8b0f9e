// GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), client → name server (spec §4.2).
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { parseLenientJson } from '../protocol/lenient-json.ts';
import { expectSuccess, type Request } from '../transport/request.ts';

export function encodeGetAllTopicList(): Request {
  return { code: RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, extFields: {} };
}

export function decodeGetAllTopicList(cmd: RemotingCommand): string[] {
  expectSuccess(cmd, 'topic list');
  return parseLenientJson<{ topicList?: string[] }>(cmd.body?.toString('utf8') ?? '{}').topicList ?? [];
}
