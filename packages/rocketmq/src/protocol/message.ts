/** A message to send. */
export interface Message {
  topic: string;
  body: Buffer | Uint8Array | string;
  /** One tag; consumers filter on it. */
  tags?: string;
  /** Business keys, indexed by the broker (stored space-separated in KEYS). */
  keys?: string | string[];
  /** User properties; names must not be system property names. */
  properties?: Record<string, string>;
  /** Delay level 1..18 (1s 5s 10s 30s 1m … 2h). */
  delayLevel?: number;
  /** User flag, kept as is. */
  flag?: number;
}

/** A message as stored by a broker and returned by a pull (spec §6.1). */
export interface MessageExt {
  topic: string;
  queueId: number;
  queueOffset: bigint;
  /** Commit-log offset: what VIEW_MESSAGE_BY_ID and send-back take. */
  commitLogOffset: bigint;
  body: Buffer;
  flag: number;
  sysFlag: number;
  bodyCRC: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: bigint;
  /** Every property, system ones included. */
  properties: Record<string, string>;
  /** The id users see: UNIQ_KEY when set, else the offset message id. */
  msgId: string;
  /** Store host + commit-log offset, hex (spec §6.4). */
  offsetMsgId: string;
  tags: string | undefined;
  keys: string[];
  /** Properties that are not system properties. */
  userProperties: Record<string, string>;
  /** 1 or 2: the stored record's format (2 has a 2-byte topic length). */
  version: 1 | 2;
}

export const MessageProperty = {
  KEYS: 'KEYS',
  TAGS: 'TAGS',
  WAIT: 'WAIT',
  DELAY: 'DELAY',
  UNIQ_KEY: 'UNIQ_KEY',
  RETRY_TOPIC: 'RETRY_TOPIC',
  RECONSUME_TIME: 'RECONSUME_TIME',
  MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  MIN_OFFSET: 'MIN_OFFSET',
  MAX_OFFSET: 'MAX_OFFSET',
} as const;
