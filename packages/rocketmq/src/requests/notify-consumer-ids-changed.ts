// NOTIFY_CONSUMER_IDS_CHANGED (40), broker → client, oneway (spec §4.9): a group's membership
// changed; the client re-reads the consumer list.
import type { RemotingCommand } from '../protocol/command.ts';

export function decodeNotifyConsumerIdsChanged(cmd: RemotingCommand): { consumerGroup: string } {
  return { consumerGroup: cmd.extFields.consumerGroup ?? '' };
}
