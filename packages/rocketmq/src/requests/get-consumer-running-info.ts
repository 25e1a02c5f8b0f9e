// GET_CONSUMER_RUNNING_INFO (307), broker → client (spec §4.9): admin tools ask a consumer what it
// runs. The answer must be a ConsumerRunningInfo; an empty mqTable is always accepted.
import type { RemotingCommand } from '../protocol/command.ts';
import type { SubscriptionData } from './heartbeat.ts';

export interface RunningInfo {
  properties: Record<string, string>;
  subscriptionSet: SubscriptionData[];
}

export function decodeGetConsumerRunningInfo(cmd: RemotingCommand): {
  consumerGroup: string;
  clientId: string;
} {
  return { consumerGroup: cmd.extFields.consumerGroup ?? '', clientId: cmd.extFields.clientId ?? '' };
}

export function encodeConsumerRunningInfo(info: RunningInfo): Buffer {
  return Buffer.from(
    JSON.stringify({
      jstack: '',
      mqTable: {},
      properties: info.properties,
      statusTable: {},
      subscriptionSet: info.subscriptionSet,
    }),
    'utf8',
  );
}
