import { RocketMQError } from '../errors.ts';
import { RETRIABLE_SEND_CODES, ResponseCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';

/** What a request file produces: the code, its header fields (strings) and an optional body. */
export interface Request {
  code: number;
  extFields: Record<string, string>;
  body?: Buffer | undefined;
}

/** Builds extFields from a typed header: numbers, bigints and booleans become decimal strings. */
export function fields(
  header: Record<string, string | number | bigint | boolean | undefined | null>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(header)) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

/** The error a non-success response stands for, with the server's code and remark kept. */
export function responseError(cmd: RemotingCommand, what: string): RocketMQError {
  const remark = cmd.remark ?? '';
  const message = `${what} failed: code ${cmd.code}${remark ? `, ${remark}` : ''}`;
  // NO_PERMISSION is worth one more try on another broker (its write permission may have been
  // wiped), which the producer does; for a caller, a refused signature or right is final.
  const retriable = RETRIABLE_SEND_CODES.has(cmd.code) && cmd.code !== ResponseCode.NO_PERMISSION;
  const opts = { responseCode: cmd.code, remark, retriable };
  if (cmd.code === ResponseCode.NO_PERMISSION) return new RocketMQError('NO_PERMISSION', message, opts);
  if (cmd.code === ResponseCode.TOPIC_NOT_EXIST) return new RocketMQError('NO_ROUTE', message, opts);
  return new RocketMQError('BROKER_ERROR', message, opts);
}

export function expectSuccess(cmd: RemotingCommand, what: string): RemotingCommand {
  if (cmd.code !== ResponseCode.SUCCESS) throw responseError(cmd, what);
  return cmd;
}

export function headerLong(cmd: RemotingCommand, key: string): bigint {
  const v = cmd.extFields[key];
  if (v === undefined) throw new RocketMQError('PROTOCOL_ERROR', `response lacks ${key}`);
  return BigInt(v);
}

export function headerInt(cmd: RemotingCommand, key: string): number {
  const v = cmd.extFields[key];
  if (v === undefined) throw new RocketMQError('PROTOCOL_ERROR', `response lacks ${key}`);
  return Number(v);
}
