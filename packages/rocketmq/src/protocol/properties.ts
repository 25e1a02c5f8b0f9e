import { RocketMQError } from '../errors.ts';

const NAME_VALUE = '\u0001';
const PROPERTY = '\u0002';
// These are the separators themselves, matched on purpose.
// biome-ignore lint/suspicious/noControlCharactersInRegex: RocketMQ's property separators
const SEPARATOR = /[\u0001\u0002]/;

/** Encodes properties as name U+0001 value U+0002 …, trailing U+0002 included (spec §6.3). */
export function encodeProperties(props: Readonly<Record<string, string>>): string {
  let out = '';
  for (const name in props) {
    const value = props[name];
    if (value === undefined || value === null) continue;
    if (SEPARATOR.test(name) || SEPARATOR.test(value)) {
      throw new RocketMQError(
        'INVALID_ARGUMENT',
        `property ${JSON.stringify(name)} contains U+0001 or U+0002`,
      );
    }
    out += name + NAME_VALUE + value + PROPERTY;
  }
  return out;
}

/**
 * Decodes a properties string the way Java does: empty names and empty values are dropped. With
 * `user`, the properties that are not the system's (SYSTEM_PROPERTIES) also go there.
 */
export function decodeProperties(
  text: string,
  into: Record<string, string> = {},
  user?: Record<string, string>,
): Record<string, string> {
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf(PROPERTY, at);
    if (end < 0) end = text.length;
    const sep = text.indexOf(NAME_VALUE, at);
    // A name and a value, each at least one character, within this piece.
    if (sep > at && sep < end - 1) {
      const name = text.slice(at, sep);
      const value = text.slice(sep + 1, end);
      into[name] = value;
      if (user && !SYSTEM_PROPERTIES.has(name)) user[name] = value;
    }
    at = end + 1;
  }
  return into;
}

/** Property names the system uses; a user property must not take one (Java's STRING_HASH_SET). */
export const SYSTEM_PROPERTIES: ReadonlySet<string> = new Set([
  'TRACE_ON',
  'MSG_REGION',
  'KEYS',
  'TAGS',
  'WAIT',
  'DELAY',
  'RETRY_TOPIC',
  'REAL_TOPIC',
  'REAL_QID',
  'TRAN_MSG',
  'PGROUP',
  'MIN_OFFSET',
  'MAX_OFFSET',
  'BUYER_ID',
  'ORIGIN_MESSAGE_ID',
  'TRANSFER_FLAG',
  'CORRECTION_FLAG',
  'MQ2_FLAG',
  'RECONSUME_TIME',
  'UNIQ_KEY',
  'MAX_RECONSUME_TIMES',
  'CONSUME_START_TIME',
  'POP_CK',
  'POP_CK_OFFSET',
  '1ST_POP_TIME',
  'TRAN_PREPARED_QUEUE_OFFSET',
  'DUP_INFO',
  'EXTEND_UNIQ_INFO',
  'INSTANCE_ID',
  'CORRELATION_ID',
  'REPLY_TO_CLIENT',
  'TTL',
  'ARRIVE_TIME',
  'PUSH_REPLY_TIME',
  'CLUSTER',
  'MSG_TYPE',
  'INNER_MULTI_QUEUE_OFFSET',
  '_CATALOG_DISPATCH',
  'INNER_MULTI_DISPATCH',
  'INNER_NUM',
  'INNER_BASE',
  'TIMER_DELIVER_MS',
  'TIMER_DELAY_SEC',
  'TIMER_DELAY_MS',
  'TIMER_OUT_MS',
  'TIMER_ENQUEUE_MS',
  'TIMER_DEQUEUE_MS',
  'TIMER_ROLL_TIMES',
  'TIMER_DEL_UNIQKEY',
  'BORN_HOST',
  '__BORNHOST',
  'BORN_TIMESTAMP',
  'DLQ_ORIGIN_TOPIC',
  'DLQ_ORIGIN_MESSAGE_ID',
  '__SHARDINGKEY',
  '__transactionId__',
  'TRANSACTION_CHECK_TIMES',
  'CHECK_IMMUNITY_TIME_IN_SECONDS',
  '__CRC32#',
  '__STARTDELIVERTIME',
]);
