// DELETE_SUBSCRIPTIONGROUP (207), admin → each broker.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, type Request } from '../transport/request.ts';

export function encodeDeleteSubscriptionGroup(groupName: string, cleanOffset = true): Request {
  return { code: RequestCode.DELETE_SUBSCRIPTIONGROUP, extFields: fields({ groupName, cleanOffset }) };
}

export function decodeDeleteSubscriptionGroup(cmd: RemotingCommand, group: string): void {
  expectSuccess(cmd, `delete subscription group ${group}`);
}
