import { RocketMQError } from '../errors.ts';
import { LanguageCode, languageName } from './codes.ts';
import type { RemotingCommand } from './command.ts';

type Header = Omit<RemotingCommand, 'body'>;

const FIXED = 21;

/** The ROCKETMQ binary header (serialization type 1, spec §1.4). Codes must fit in 16 bits. */
export function encodeBinaryHeader(cmd: Header): Buffer {
  if (cmd.code > 0x7fff || cmd.code < -0x8000) {
    throw new RocketMQError('INVALID_ARGUMENT', `code ${cmd.code} does not fit a binary header; use JSON`);
  }
  const remark = cmd.remark ? Buffer.from(cmd.remark, 'utf8') : undefined;
  const entries: [Buffer, Buffer][] = [];
  let extLength = 0;
  for (const [k, v] of Object.entries(cmd.extFields)) {
    const key = Buffer.from(k, 'utf8');
    const value = Buffer.from(v, 'utf8');
    entries.push([key, value]);
    extLength += 2 + key.length + 4 + value.length;
  }
  const out = Buffer.allocUnsafe(FIXED + (remark?.length ?? 0) + extLength);
  let at = out.writeInt16BE(cmd.code, 0);
  at = out.writeUInt8(LanguageCode[cmd.language], at);
  at = out.writeInt16BE(cmd.version, at);
  at = out.writeInt32BE(cmd.opaque, at);
  at = out.writeInt32BE(cmd.flag, at);
  at = out.writeInt32BE(remark?.length ?? 0, at);
  if (remark) at += remark.copy(out, at);
  at = out.writeInt32BE(extLength, at);
  for (const [key, value] of entries) {
    at = out.writeInt16BE(key.length, at);
    at += key.copy(out, at);
    at = out.writeInt32BE(value.length, at);
    at += value.copy(out, at);
  }
  return out;
}

export function decodeBinaryHeader(bytes: Buffer): Header {
  if (bytes.length < FIXED) throw new RocketMQError('PROTOCOL_ERROR', 'binary remoting header too short');
  const need = (at: number, n: number) => {
    if (at + n > bytes.length) throw new RocketMQError('PROTOCOL_ERROR', 'binary remoting header truncated');
  };
  const code = bytes.readInt16BE(0);
  const language = languageName(bytes.readUInt8(2));
  const version = bytes.readInt16BE(3);
  const opaque = bytes.readInt32BE(5);
  const flag = bytes.readInt32BE(9);
  const remarkLength = bytes.readInt32BE(13);
  let at = 17;
  need(at, remarkLength);
  // A zero length means null (spec §1.4): an empty remark or value arrives as absent.
  const remark = remarkLength > 0 ? bytes.toString('utf8', at, at + remarkLength) : undefined;
  at += remarkLength;
  need(at, 4);
  const extLength = bytes.readInt32BE(at);
  at += 4;
  need(at, extLength);
  const end = at + extLength;
  const extFields: Record<string, string> = {};
  while (at < end) {
    need(at, 2);
    const keyLength = bytes.readInt16BE(at);
    at += 2;
    need(at, keyLength + 4);
    const key = bytes.toString('utf8', at, at + keyLength);
    at += keyLength;
    const valueLength = bytes.readInt32BE(at);
    at += 4;
    need(at, valueLength);
    if (valueLength > 0) extFields[key] = bytes.toString('utf8', at, at + valueLength);
    at += valueLength;
  }
  return { code, language, version, opaque, flag, remark, extFields };
}
