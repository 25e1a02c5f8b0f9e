// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200), admin → each master broker (spec §4.8).
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, type Request } from '../transport/request.ts';

/** Fields left out take the broker's defaults (consume enabled, 1 retry queue, 16 retries, …). */
export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable?: boolean;
  consumeFromMinEnable?: boolean;
  consumeBroadcastEnable?: boolean;
  consumeMessageOrderly?: boolean;
  retryQueueNums?: number;
  retryMaxTimes?: number;
  notifyConsumerIdsChangedEnable?: boolean;
}

export function encodeUpdateAndCreateSubscriptionGroup(config: SubscriptionGroupConfig): Request {
  return {
    code: RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    extFields: {},
    body: Buffer.from(JSON.stringify(config), 'utf8'),
  };
}

export function decodeUpdateAndCreateSubscriptionGroup(cmd: RemotingCommand, group: string): void {
  expectSuccess(cmd, `create subscription group ${group}`);
}
