import { encodeProperties } from '../../src/index.ts';

// What a broker sends in a pull answer, for the decoder's tests and the codec bench.

export interface RecordSpec {
  magic?: number;
  sysFlag?: number;
  body: Buffer;
  topic: string;
  properties: Record<string, string>;
  bornHost?: Buffer;
  storeHost?: Buffer;
  queueOffset?: bigint;
  commitLogOffset?: bigint;
}

/** A stored-message record, written field by field as the spec §6.1 table lays it out. */
export function storedMessage(r: RecordSpec): Buffer {
  const v2 = r.magic === (0xdaa320ab | 0);
  const born = r.bornHost ?? Buffer.from([10, 0, 0, 1, 0, 0, 0x30, 0x39]);
  const store = r.storeHost ?? Buffer.from([127, 0, 0, 1, 0, 0, 0x2a, 0x9f]);
  const topic = Buffer.from(r.topic);
  const props = Buffer.from(encodeProperties(r.properties));
  const parts: Buffer[] = [];
  const int = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    parts.push(b);
  };
  const long = (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    parts.push(b);
  };
  int(0); // size, patched below
  int(r.magic ?? 0xdaa320a7 | 0);
  int(12345); // body CRC
  int(3); // queue id
  int(7); // flag
  long(r.queueOffset ?? 42n);
  long(r.commitLogOffset ?? 1_000_000n);
  int(r.sysFlag ?? 0);
  long(1_700_000_000_000n);
  parts.push(born);
  long(1_700_000_000_123n);
  parts.push(store);
  int(2); // reconsume times
  long(0n);
  int(r.body.length);
  parts.push(r.body);
  if (v2) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(topic.length);
    parts.push(b);
  } else parts.push(Buffer.from([topic.length]));
  parts.push(topic);
  const pl = Buffer.alloc(2);
  pl.writeInt16BE(props.length);
  parts.push(pl, props);
  const out = Buffer.concat(parts);
  out.writeInt32BE(out.length, 0);
  return out;
}
