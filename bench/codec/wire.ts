import { createRecordsBatch, type MessageRecord } from '@platformatic/kafka';
import type { OutgoingKafkaRecord } from '@sluice/connector-kafka';

// The bytes the codec bench ends at: a Kafka record batch as the producer sends it. (It starts
// from stored RocketMQ messages as a broker sends them: the decoder tests' storedMessage.)

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
