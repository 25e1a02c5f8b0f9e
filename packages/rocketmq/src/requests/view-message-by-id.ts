// VIEW_MESSAGE_BY_ID (33), client → broker: one stored message by its commit-log offset.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import type { MessageExt } from '../protocol/message.ts';
import { decodeMessage } from '../protocol/message-decoder.ts';
import { expectSuccess, fields, type Request } from '../transport/request.ts';

export function encodeViewMessageById(topic: string, commitLogOffset: bigint): Request {
  return { code: RequestCode.VIEW_MESSAGE_BY_ID, extFields: fields({ topic, offset: commitLogOffset }) };
}

export function decodeViewMessageById(cmd: RemotingCommand): MessageExt {
  expectSuccess(cmd, 'view message');
  return decodeMessage(cmd.body ?? Buffer.alloc(0));
}
