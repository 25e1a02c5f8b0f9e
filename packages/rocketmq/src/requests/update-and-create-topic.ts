// UPDATE_AND_CREATE_TOPIC (17), admin → each master broker (spec §4.8).
import { RequestCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { expectSuccess, fields, type Request } from '../transport/request.ts';
import { DEFAULT_TOPIC } from './send-message.ts';

export const Perm = { INHERIT: 1, WRITE: 2, READ: 4 } as const;

export interface TopicConfig {
  topic: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** PermName bits; 6 = read + write. */
  perm: number;
  order?: boolean;
  /** 5.x attributes, e.g. `+message.type=NORMAL`. */
  attributes?: string;
}

export function encodeUpdateAndCreateTopic(c: TopicConfig): Request {
  return {
    code: RequestCode.UPDATE_AND_CREATE_TOPIC,
    extFields: fields({
      topic: c.topic,
      defaultTopic: DEFAULT_TOPIC,
      readQueueNums: c.readQueueNums,
      writeQueueNums: c.writeQueueNums,
      perm: c.perm,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: c.order ?? false,
      attributes: c.attributes,
    }),
  };
}

export function decodeUpdateAndCreateTopic(cmd: RemotingCommand, topic: string): void {
  expectSuccess(cmd, `create topic ${topic}`);
}
