// SEND_MESSAGE_V2 (310), client → broker (spec §4.3): the one-letter header Java sends.
import { RocketMQError } from '../errors.ts';
import { RequestCode, ResponseCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { fields, type Request, responseError } from '../transport/request.ts';

export interface SendMessageHeader {
  producerGroup: string;
  topic: string;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  flag: number;
  properties: string;
  reconsumeTimes?: number;
  maxReconsumeTimes?: number;
  batch?: boolean;
  brokerName: string;
}

export const DEFAULT_TOPIC = 'TBW102';
export const DEFAULT_TOPIC_QUEUE_NUMS = 4;

export function sendHeaderFields(h: SendMessageHeader): Record<string, string> {
  return fields({
    a: h.producerGroup,
    b: h.topic,
    c: DEFAULT_TOPIC,
    d: DEFAULT_TOPIC_QUEUE_NUMS,
    e: h.queueId,
    f: h.sysFlag,
    g: h.bornTimestamp,
    h: h.flag,
    i: h.properties,
    j: h.reconsumeTimes ?? 0,
    k: false,
    l: h.maxReconsumeTimes,
    m: h.batch ? true : undefined,
    n: h.brokerName,
  });
}

export function encodeSendMessage(h: SendMessageHeader, body: Buffer): Request {
  return { code: RequestCode.SEND_MESSAGE_V2, extFields: sendHeaderFields(h), body };
}

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

export interface SendResult {
  status: SendStatus;
  /** The UNIQ_KEY id(s) the client gave the message(s). */
  msgId: string;
  /** The broker's offset message id(s), comma-separated for a batch. */
  offsetMsgId: string;
  brokerName: string;
  queueId: number;
  /** Queue offset of the (first) message. */
  queueOffset: bigint;
  transactionId: string | undefined;
}

const STATUS: Record<number, SendStatus> = {
  [ResponseCode.SUCCESS]: 'SEND_OK',
  [ResponseCode.FLUSH_DISK_TIMEOUT]: 'FLUSH_DISK_TIMEOUT',
  [ResponseCode.FLUSH_SLAVE_TIMEOUT]: 'FLUSH_SLAVE_TIMEOUT',
  [ResponseCode.SLAVE_NOT_AVAILABLE]: 'SLAVE_NOT_AVAILABLE',
};

export function decodeSendMessage(cmd: RemotingCommand, brokerName: string, msgId: string): SendResult {
  const status = STATUS[cmd.code];
  if (!status) throw responseError(cmd, `send to ${brokerName}`);
  const h = cmd.extFields;
  if (h.queueId === undefined || h.queueOffset === undefined) {
    throw new RocketMQError('PROTOCOL_ERROR', 'send response lacks queueId or queueOffset');
  }
  return {
    status,
    msgId,
    offsetMsgId: h.msgId ?? '',
    brokerName,
    queueId: Number(h.queueId),
    queueOffset: BigInt(h.queueOffset),
    transactionId: h.transactionId,
  };
}
