// DELETE_TOPIC_IN_NAMESRV (216), admin → every name server, after the brokers (spec §4.8).
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, type Request } from '../transport/request.ts';

export function encodeDeleteTopicInNamesrv(topic: string, clusterName?: string): Request {
  return { code: RequestCode.DELETE_TOPIC_IN_NAMESRV, extFields: fields({ topic, clusterName }) };
}

export function decodeDeleteTopicInNamesrv(cmd: RemotingCommand, topic: string): void {
  expectSuccess(cmd, `delete topic ${topic} in name server`);
}
