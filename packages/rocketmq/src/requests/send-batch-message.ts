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
  const parts: Buffer[] = [];
  for (const e of entries) {
    const props = Buffer.from(e.properties, 'utf8');
    const head = Buffer.allocUnsafe(20);
    head.writeInt32BE(20 + e.body.length + 2 + props.length, 0);
    head.writeInt32BE(0, 4); // magic code: ignored
    head.writeInt32BE(0, 8); // body CRC: the broker computes it
    head.writeInt32BE(e.flag, 12);
    head.writeInt32BE(e.body.length, 16);
    const propsLength = Buffer.allocUnsafe(2);
    propsLength.writeInt16BE(props.length, 0);
    parts.push(head, e.body, propsLength, props);
  }
  return Buffer.concat(parts);
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
