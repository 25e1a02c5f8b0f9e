import { createRecordsBatch, type MessageRecord } from '@platformatic/kafka';
import type { OutgoingKafkaRecord } from '@sluice/connector-kafka';

// The bytes the codec bench starts from and ends at: a stored RocketMQ message as a broker sends
// it in a pull answer, and a Kafka record batch as the producer sends it.

const STORE_HOST = Buffer.from([127, 0, 0, 1, 0, 0, 0x2a, 0x9f]);
const BORN_HOST = Buffer.from([127, 0, 0, 1, 0, 0, 0x30, 0x39]);

/** One stored-message record (RocketMQ's on-disk and on-the-wire layout, magic v2). */
export function storedMessage(body: Buffer, properties: string, n: number): Buffer {
  const topic = Buffer.from('orders');
  const props = Buffer.from(properties);
  const b = Buffer.alloc(
    4 * 4 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 4 + body.length + 2 + topic.length + 2 + props.length,
  );
  let at = 0;
  const i32 = (v: number) => {
    b.writeInt32BE(v, at);
    at += 4;
  };
  const i64 = (v: bigint) => {
    b.writeBigInt64BE(v, at);
    at += 8;
  };
  const bytes = (v: Buffer) => {
    v.copy(b, at);
    at += v.length;
  };
  i32(b.length);
  i32(0xdaa320ab | 0);
  i32(0); // body CRC
  i32(1); // queue id
  i32(0); // flag
  i64(BigInt(n)); // queue offset
  i64(BigInt(n * 1200)); // commit-log offset
  i32(0); // sys flag
  i64(1_700_000_000_000n);
  bytes(BORN_HOST);
  i64(1_700_000_000_001n);
  bytes(STORE_HOST);
  i32(0); // reconsume times
  i64(0n);
  i32(body.length);
  bytes(body);
  b.writeInt16BE(topic.length, at);
  at += 2;
  bytes(topic);
  b.writeInt16BE(props.length, at);
  at += 2;
  bytes(props);
  return b;
}

/**
 * The record batch a produce request carries for these records (idempotent, uncompressed). Records
 * with headers by name are converted as the writer converts them (earlier versions made those).
 */
export function kafkaBatch(records: OutgoingKafkaRecord[]): Buffer {
  const messages = records.map((r) =>
    r.headers === undefined || r.headers instanceof Map
      ? r
      : {
          ...r,
          headers: new Map(Object.entries(r.headers).map(([k, v]) => [Buffer.from(k), v])),
          ...(typeof r.timestamp === 'number' ? { timestamp: BigInt(r.timestamp) } : {}),
        },
  );
  return createRecordsBatch(messages as unknown as MessageRecord[], {
    producerId: 1n,
    producerEpoch: 0,
    firstSequence: 0,
  }).buffer;
}
