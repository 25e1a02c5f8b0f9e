// PULL_MESSAGE (11), client → broker (spec §4.4).
import { RequestCode, ResponseCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import type { MessageExt } from '../protocol/message.ts';
import { decodeMessages } from '../protocol/message-decoder.ts';
import { fields, type Request, responseError } from '../transport/request.ts';

export const PullSysFlag = { COMMIT_OFFSET: 0x1, SUSPEND: 0x2, SUBSCRIPTION: 0x4 } as const;

export interface PullMessageHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  queueOffset: bigint;
  maxMsgNums: number;
  sysFlag: number;
  commitOffset: bigint;
  suspendTimeoutMillis: number;
  subscription?: string;
  subVersion: number;
  expressionType?: 'TAG' | 'SQL92';
  maxMsgBytes?: number;
  brokerName: string;
}

export function encodePullMessage(h: PullMessageHeader): Request {
  return {
    code: RequestCode.PULL_MESSAGE,
    extFields: fields({
      consumerGroup: h.consumerGroup,
      topic: h.topic,
      queueId: h.queueId,
      queueOffset: h.queueOffset,
      maxMsgNums: h.maxMsgNums,
      sysFlag: h.sysFlag,
      commitOffset: h.commitOffset,
      suspendTimeoutMillis: h.suspendTimeoutMillis,
      subscription: h.subscription,
      subVersion: h.subVersion,
      expressionType: h.expressionType,
      maxMsgBytes: h.maxMsgBytes,
      bname: h.brokerName,
    }),
  };
}

export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

export interface PullResult {
  status: PullStatus;
  /** Where the next pull of this queue starts. */
  nextBeginOffset: bigint;
  minOffset: bigint;
  maxOffset: bigint;
  /** Broker id to pull from next (0 = master). */
  suggestWhichBrokerId: number;
  messages: MessageExt[];
}

const STATUS: Record<number, PullStatus> = {
  [ResponseCode.SUCCESS]: 'FOUND',
  [ResponseCode.PULL_NOT_FOUND]: 'NO_NEW_MSG',
  [ResponseCode.PULL_RETRY_IMMEDIATELY]: 'NO_MATCHED_MSG',
  [ResponseCode.PULL_OFFSET_MOVED]: 'OFFSET_ILLEGAL',
};

export function decodePullMessage(cmd: RemotingCommand, what: string): PullResult {
  const status = STATUS[cmd.code];
  if (!status) throw responseError(cmd, what);
  const h = cmd.extFields;
  return {
    status,
    nextBeginOffset: BigInt(h.nextBeginOffset ?? '0'),
    minOffset: BigInt(h.minOffset ?? '0'),
    maxOffset: BigInt(h.maxOffset ?? '0'),
    suggestWhichBrokerId: Number(h.suggestWhichBrokerId ?? '0'),
    messages: status === 'FOUND' && cmd.body ? decodeMessages(cmd.body) : [],
  };
}
