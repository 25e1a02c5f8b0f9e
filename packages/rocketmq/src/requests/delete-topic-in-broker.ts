// DELETE_TOPIC_IN_BROKER (215), admin → every broker of the cluster (spec §4.8).
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, type Request } from '../transport/request.ts';

export function encodeDeleteTopicInBroker(topic: string): Request {
  return { code: RequestCode.DELETE_TOPIC_IN_BROKER, extFields: { topic } };
}

export function decodeDeleteTopicInBroker(cmd: RemotingCommand, topic: string): void {
  expectSuccess(cmd, `delete topic ${topic} in broker`);
}
