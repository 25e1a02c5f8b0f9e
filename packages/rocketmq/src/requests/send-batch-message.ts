// SEND_BATCH_MESSAGE (320), client → broker (spec §4.3): records concatenated in the body, each
// with its own properties; the header carries the batch-level ones.
import { RequestCode } from '../protocol/codes.ts';
import type { Request } from '../transport/request.ts';
import { type SendMessageHeader, sendHeaderFields } from './send-message.ts';

export interface BatchEntry {
  body: Buffer;
  flag: number;
  /** This message's own properties string (UNIQ_KEY, TAGS, KEYS and user properties). */
  properties: string;
}

export function encodeBatchBody(entries: readonly BatchEntry[]): Buffer {
  // One allocation for the whole body: sizes first, then every record written in place.
  let size = 0;
  for (const e of entries) size += 22 + e.body.length + Buffer.byteLength(e.properties, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of entries) {
    const propsAt = at + 22 + e.body.length;
    const propsLength = out.write(e.properties, propsAt, 'utf8');
    out.writeInt32BE(20 + e.body.length + 2 + propsLength, at);
    out.writeInt32BE(0, at + 4); // magic code: ignored
    out.writeInt32BE(0, at + 8); // body CRC: the broker computes it
    out.writeInt32BE(e.flag, at + 12);
    out.writeInt32BE(e.body.length, at + 16);
    e.body.copy(out, at + 20);
    out.writeInt16BE(propsLength, at + 20 + e.body.length);
    at = propsAt + propsLength;
  }
  return out;
}

export function encodeSendBatchMessage(
  h: Omit<SendMessageHeader, 'batch'>,
  entries: readonly BatchEntry[],
): Request {
  return {
    code: RequestCode.SEND_BATCH_MESSAGE,
    extFields: sendHeaderFields({ ...h, batch: true }),
    body: encodeBatchBody(entries),
  };
}
