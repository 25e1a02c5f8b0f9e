import { RocketMQError } from '../errors.ts';
import type { Credentials } from '../protocol/signing.ts';

/** What every client (producer, consumer, admin) is configured with. */
export interface ClientOptions {
  /** Name server(s): `host:port`, several separated by `;` or given as an array. */
  namesrvAddr: string | readonly string[];
  /** ACL credentials (accessKey / secretKey); requests are signed when set. */
  credentials?: Credentials | undefined;
  /** Timeout of one request to a name server or broker (default 3000 ms). */
  requestTimeoutMs?: number;
  /** How often topic routes in use are refreshed from the name server (default 30 s). */
  routeRefreshMs?: number;
}

export function parseNamesrvAddr(addr: string | readonly string[]): string[] {
  const list = (typeof addr === 'string' ? addr.split(';') : [...addr]).map((a) => a.trim()).filter(Boolean);
  if (list.length === 0) throw new RocketMQError('INVALID_ARGUMENT', 'namesrvAddr is empty');
  for (const a of list) {
    if (!/^[^\s:]+:\d{1,5}$/.test(a) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(a)) {
      throw new RocketMQError('INVALID_ARGUMENT', `namesrvAddr entry ${JSON.stringify(a)} is not host:port`);
    }
  }
  return list;
}

const NAME = /^[%|a-zA-Z0-9_-]+$/;

export function validateTopic(topic: string): void {
  if (!topic || !NAME.test(topic) || topic.length > 127) {
    throw new RocketMQError(
      'INVALID_ARGUMENT',
      `invalid topic ${JSON.stringify(topic)}: 1-127 characters of letters, digits, %, |, _ and -`,
    );
  }
}

export function validateGroup(group: string): void {
  if (!group || !NAME.test(group) || group.length > 120) {
    throw new RocketMQError(
      'INVALID_ARGUMENT',
      `invalid group ${JSON.stringify(group)}: 1-120 characters of letters, digits, %, |, _ and -`,
    );
  }
}
