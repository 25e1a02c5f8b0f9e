import { RocketMQError } from '../errors.ts';
import { LanguageCode, type LanguageName } from './codes.ts';
import type { RemotingCommand } from './command.ts';

type Header = Omit<RemotingCommand, 'body'>;

/** The JSON header (serialization type 0), keys in the order Java's fastjson writes them. */
export function encodeJsonHeader(cmd: Header): Buffer {
  const header: Record<string, unknown> = { code: cmd.code };
  if (Object.keys(cmd.extFields).length > 0) header.extFields = cmd.extFields;
  header.flag = cmd.flag;
  header.language = cmd.language;
  header.opaque = cmd.opaque;
  if (cmd.remark !== undefined) header.remark = cmd.remark;
  header.serializeTypeCurrentRPC = 'JSON';
  header.version = cmd.version;
  return Buffer.from(JSON.stringify(header), 'utf8');
}

export function decodeJsonHeader(bytes: Buffer): Header {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new RocketMQError('PROTOCOL_ERROR', 'malformed JSON remoting header', { cause: err });
  }
  const extFields: Record<string, string> = {};
  const raw = parsed.extFields;
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (v !== null && v !== undefined) extFields[k] = String(v);
    }
  }
  const language =
    typeof parsed.language === 'string' && parsed.language in LanguageCode ? parsed.language : 'OTHER';
  return {
    code: Number(parsed.code),
    language: language as LanguageName,
    version: Number(parsed.version ?? 0),
    opaque: Number(parsed.opaque ?? 0),
    flag: Number(parsed.flag ?? 0),
    remark: typeof parsed.remark === 'string' ? parsed.remark : undefined,
    extFields,
  };
}
