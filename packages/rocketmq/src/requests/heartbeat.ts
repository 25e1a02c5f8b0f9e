// HEART_BEAT (34), client → broker (spec §4.6): registers the client's consumer groups and their
// subscriptions; without it a broker neither lists the client in its group nor serves its pulls.
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, type Request } from '../transport/request.ts';

export interface SubscriptionData {
  topic: string;
  subString: string;
  tagsSet: string[];
  codeSet: number[];
  expressionType: 'TAG' | 'SQL92';
  subVersion: number;
  classFilterMode: false;
}

export interface ConsumerData {
  groupName: string;
  consumeType: 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY';
  messageModel: 'CLUSTERING' | 'BROADCASTING';
  consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';
  unitMode: false;
  subscriptionDataSet: SubscriptionData[];
}

export interface HeartbeatData {
  clientID: string;
  producerDataSet: { groupName: string }[];
  consumerDataSet: ConsumerData[];
}

export function encodeHeartbeat(data: HeartbeatData): Request {
  return { code: RequestCode.HEART_BEAT, extFields: {}, body: Buffer.from(JSON.stringify(data), 'utf8') };
}

export function decodeHeartbeat(cmd: RemotingCommand): void {
  expectSuccess(cmd, 'heartbeat');
}
