import { RocketMQError } from '../errors.ts';
import { COMPRESSED_FLAG, decompress } from './compression.ts';
import { type MessageExt, MessageProperty } from './message.ts';
import { offsetMsgIdFromHex } from './message-id.ts';
import { decodeProperties } from './properties.ts';

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

/** A host as messages name it: `ip:port`, and its bytes in hex for the offset message id. */
interface Host {
  text: string;
  hex: string;
}

/** IPv4 hosts by address and port: every message of a pull names the same few. */
const V4_HOSTS = new Map<number, Map<number, Host>>();

function host(buf: Buffer, at: number, v6: boolean): Host {
  if (v6) {
    const port = buf.readInt32BE(at + 16);
    const ipText = (buf.toString('hex', at, at + 16).match(/.{4}/g) ?? []).join(':');
    return { text: `[${ipText}]:${port}`, hex: buf.toString('hex', at, at + 20).toUpperCase() };
  }
  const ip = buf.readUInt32BE(at);
  const port = buf.readInt32BE(at + 4);
  let ports = V4_HOSTS.get(ip);
  if (!ports) {
    if (V4_HOSTS.size > 1024) V4_HOSTS.clear();
    ports = new Map();
    V4_HOSTS.set(ip, ports);
  }
  let h = ports.get(port);
  if (!h) {
    h = {
      text: `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}:${port}`,
      hex: buf.toString('hex', at, at + 8).toUpperCase(),
    };
    if (ports.size < 1024) ports.set(port, h);
  }
  return h;
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
    const bornV6 = (sysFlag & BORNHOST_V6) !== 0;
    const born = host(rec, 48, bornV6);
    let at = 48 + (bornV6 ? 20 : 8);
    const storeTimestamp = Number(rec.readBigInt64BE(at));
    at += 8;
    const storeV6 = (sysFlag & STOREHOST_V6) !== 0;
    const store = host(rec, at, storeV6);
    at += storeV6 ? 20 : 8;
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
    const properties: Record<string, string> = {};
    const userProperties: Record<string, string> = {};
    if (propsLength > 0)
      decodeProperties(rec.toString('utf8', at, at + propsLength), properties, userProperties);
    const offsetId = offsetMsgIdFromHex(store.hex, commitLogOffset);
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
      msgId: properties[MessageProperty.UNIQ_KEY] ?? offsetId,
      offsetMsgId: offsetId,
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
