import { FLAG_ONEWAY, FLAG_RESPONSE, type LanguageName } from './codes.ts';

/** One remoting frame, request or response, decoded (spec §1.2). */
export interface RemotingCommand {
  code: number;
  language: LanguageName;
  version: number;
  opaque: number;
  flag: number;
  remark?: string | undefined;
  /** The per-command header fields; every value is a string on the wire. */
  extFields: Record<string, string>;
  body?: Buffer | undefined;
}

export const SerializeType = { JSON: 0, ROCKETMQ: 1 } as const;
export type SerializeTypeValue = (typeof SerializeType)[keyof typeof SerializeType];

export function isResponse(cmd: RemotingCommand): boolean {
  return (cmd.flag & FLAG_RESPONSE) !== 0;
}

export function isOneway(cmd: RemotingCommand): boolean {
  return (cmd.flag & FLAG_ONEWAY) !== 0;
}
