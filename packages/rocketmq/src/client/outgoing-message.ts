import { RocketMQError } from '../errors.ts';
import { type Message, MessageProperty } from '../protocol/message.ts';
import { encodeProperties, SYSTEM_PROPERTIES } from '../protocol/properties.ts';

/** A message as it goes into a send request: body bytes and the properties RocketMQ reads. */
export interface Prepared {
  body: Buffer;
  properties: Record<string, string>;
  flag: number;
  msgId: string;
}

/** A broker refuses a message whose properties take more than a Java short's 32767 bytes. */
export const MAX_PROPERTIES_BYTES = 32767;

/** Properties in RocketMQ's wire form, refused before sending when the broker would refuse them. */
export function encodeCheckedProperties(props: Readonly<Record<string, string>>): string {
  const encoded = encodeProperties(props);
  const bytes = Buffer.byteLength(encoded);
  if (bytes > MAX_PROPERTIES_BYTES)
    throw new RocketMQError(
      'INVALID_ARGUMENT',
      `message properties of ${bytes} bytes are over the ${MAX_PROPERTIES_BYTES}-byte limit`,
    );
  return encoded;
}

/** Checks a caller's message and adds the properties every send carries (keys, tags, delay, id). */
export function prepareMessage(msg: Message, msgId: string): Prepared {
  const body =
    typeof msg.body === 'string'
      ? Buffer.from(msg.body, 'utf8')
      : Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength);
  const properties: Record<string, string> = {};
  const given = msg.properties ?? {};
  for (const k in given) {
    const v = given[k]!;
    if (SYSTEM_PROPERTIES.has(k))
      throw new RocketMQError('INVALID_ARGUMENT', `property name ${k} is reserved by RocketMQ`);
    if (!k.trim() || v === '')
      throw new RocketMQError('INVALID_ARGUMENT', `property ${JSON.stringify(k)} needs a name and a value`);
    properties[k] = String(v);
  }
  const keys = Array.isArray(msg.keys) ? msg.keys.join(' ') : msg.keys;
  if (keys) properties[MessageProperty.KEYS] = keys;
  if (msg.tags) properties[MessageProperty.TAGS] = msg.tags;
  if (msg.delayLevel !== undefined) {
    if (!Number.isInteger(msg.delayLevel) || msg.delayLevel < 0) {
      throw new RocketMQError(
        'INVALID_ARGUMENT',
        `delayLevel must be a whole number ≥ 0 (got ${msg.delayLevel})`,
      );
    }
    if (msg.delayLevel > 0) properties[MessageProperty.DELAY] = String(msg.delayLevel);
  }
  properties[MessageProperty.WAIT] = 'true';
  properties[MessageProperty.UNIQ_KEY] = msgId;
  return { body, properties, flag: msg.flag ?? 0, msgId };
}
