import { RocketMQError } from '../errors.ts';
import { COMPRESSED_FLAG, decompress } from './compression.ts';
import { type MessageExt, MessageProperty } from './message.ts';
import { createOffsetMsgId } from './message-id.ts';
import { decodeProperties, SYSTEM_PROPERTIES } from './properties.ts';

export const MAGIC_V1 = 0xdaa320a7 | 0;
export const MAGIC_V2 = 0xdaa320ab | 0;
const BORNHOST_V6 = 0x10;
const STOREHOST_V6 = 0x20;

/** Decodes every stored-message record in a pull body (spec §6.1), decompressing bodies. */
export function decodeMessages(buf: Buffer): MessageExt[] {
  const out: MessageExt[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < 4) throw new RocketMQError('PROTOCOL_ERROR', 'truncated message record');
    const size = buf.readInt32BE(at);
    if (size <= 0 || at + size > buf.length)
      throw new RocketMQError('PROTOCOL_ERROR', 'bad message record size');
    out.push(decodeMessage(buf.subarray(at, at + size)));
    at += size;
  }
  return out;
}

/** IPv4 host texts by address and port: every message of a pull names the same few hosts. */
const V4_HOSTS = new Map<number, Map<number, string>>();

function host(buf: Buffer, at: number, v6: boolean): { text: string; bytes: Buffer; next: number } {
  const ipLength = v6 ? 16 : 4;
  const port = buf.readInt32BE(at + ipLength);
  let text: string;
  if (v6) {
    const ipText = (buf.toString('hex', at, at + 16).match(/.{4}/g) ?? []).join(':');
    text = `[${ipText}]:${port}`;
  } else {
    const ip = buf.readUInt32BE(at);
    let ports = V4_HOSTS.get(ip);
    if (!ports) {
      if (V4_HOSTS.size > 1024) V4_HOSTS.clear();
      ports = new Map();
      V4_HOSTS.set(ip, ports);
    }
    text = ports.get(port) ?? `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}:${port}`;
    if (ports.size < 1024) ports.set(port, text);
  }
  return { text, bytes: buf.subarray(at, at + ipLength + 4), next: at + ipLength + 4 };
}

export function decodeMessage(rec: Buffer): MessageExt {
  try {
    const magic = rec.readInt32BE(4);
    if (magic !== MAGIC_V1 && magic !== MAGIC_V2) {
      throw new RocketMQError('PROTOCOL_ERROR', `unknown message magic code 0x${(magic >>> 0).toString(16)}`);
    }
    const bodyCRC = rec.readInt32BE(8);
    const queueId = rec.readInt32BE(12);
    const flag = rec.readInt32BE(16);
    const queueOffset = rec.readBigInt64BE(20);
    const commitLogOffset = rec.readBigInt64BE(28);
    const sysFlag = rec.readInt32BE(36);
    const bornTimestamp = Number(rec.readBigInt64BE(40));
    const born = host(rec, 48, (sysFlag & BORNHOST_V6) !== 0);
    let at = born.next;
    const storeTimestamp = Number(rec.readBigInt64BE(at));
    at += 8;
    const store = host(rec, at, (sysFlag & STOREHOST_V6) !== 0);
    at = store.next;
    const reconsumeTimes = rec.readInt32BE(at);
    at += 4;
    const preparedTransactionOffset = rec.readBigInt64BE(at);
    at += 8;
    const bodyLength = rec.readInt32BE(at);
    at += 4;
    let body = rec.subarray(at, at + bodyLength);
    at += bodyLength;
    if ((sysFlag & COMPRESSED_FLAG) !== 0 && bodyLength > 0) body = decompress(body, sysFlag);
    const v2 = magic === MAGIC_V2;
    const topicLength = v2 ? rec.readInt16BE(at) : rec.readInt8(at);
    at += v2 ? 2 : 1;
    const topic = rec.toString('utf8', at, at + topicLength);
    at += topicLength;
    const propsLength = rec.readInt16BE(at);
    at += 2;
    const properties = propsLength > 0 ? decodeProperties(rec.toString('utf8', at, at + propsLength)) : {};
    const offsetMsgId = createOffsetMsgId(store.bytes, commitLogOffset);
    const userProperties: Record<string, string> = {};
    for (const [k, v] of Object.entries(properties)) if (!SYSTEM_PROPERTIES.has(k)) userProperties[k] = v;
    const keys = properties[MessageProperty.KEYS];
    return {
      topic,
      queueId,
      queueOffset,
      commitLogOffset,
      body,
      flag,
      sysFlag,
      bodyCRC,
      bornTimestamp,
      bornHost: born.text,
      storeTimestamp,
      storeHost: store.text,
      reconsumeTimes,
      preparedTransactionOffset,
      properties,
      msgId: properties[MessageProperty.UNIQ_KEY] ?? offsetMsgId,
      offsetMsgId,
      tags: properties[MessageProperty.TAGS],
      keys: keys ? keys.split(' ').filter(Boolean) : [],
      userProperties,
      version: v2 ? 2 : 1,
    };
  } catch (err) {
    if (err instanceof RocketMQError) throw err;
    throw new RocketMQError('PROTOCOL_ERROR', 'truncated or malformed message record', { cause: err });
  }
}
