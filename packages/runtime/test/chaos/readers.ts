import { PullConsumer } from '@sluice/rocketmq';
import { readOwner } from '../../src/records/owner-headers.ts';
import { retryBroker } from '../../src/worker/broker-retry.ts';
import { readKafka } from '../e2e/kafka-rocketmq.ts';
import { seqOf } from './feeders.ts';
import type { ReadRecord } from './ledger.ts';

// Everything a topic holds, read back with plain clients, as the ledger's records.

function toRecord(
  place: string,
  offset: bigint,
  value: Buffer,
  headers: Record<string, string>,
  at: number,
): ReadRecord[] {
  const seq = seqOf(value);
  if (seq === undefined) return [];
  const owner = readOwner(headers);
  return [
    { place, offset, seq, connector: owner?.connector, epoch: owner?.epoch, worker: owner?.worker, at },
  ];
}

/** Every message of a RocketMQ topic on every broker, from each queue's first offset. */
export async function readRocketMQTopic(namesrvAddr: string, topic: string): Promise<ReadRecord[]> {
  // A broker just restarted may drop the first connection: read again from the start.
  return retryBroker(() => readRocketMQOnce(namesrvAddr, topic));
}

async function readRocketMQOnce(namesrvAddr: string, topic: string): Promise<ReadRecord[]> {
  const consumer = new PullConsumer({ namesrvAddr, group: `chaos-reader-${process.pid}` });
  try {
    const out: ReadRecord[] = [];
    for (const q of await consumer.queues(topic)) {
      const place = `${q.brokerName}#${q.queueId}`;
      const end = await consumer.maxOffset(q);
      let offset = await consumer.minOffset(q);
      while (offset < end) {
        const r = await consumer.pull(q, offset, { maxMessages: 512 });
        for (const m of r.messages)
          out.push(...toRecord(place, m.queueOffset, m.body, m.userProperties, m.storeTimestamp));
        if (r.nextBeginOffset <= offset) break;
        offset = r.nextBeginOffset;
      }
    }
    return out;
  } finally {
    await consumer.close();
  }
}

/** Every record of a Kafka topic, from the earliest offset to the high watermark. */
export async function readKafkaTopic(bootstrap: string, topic: string): Promise<ReadRecord[]> {
  return (await readKafka(bootstrap, topic)).flatMap((r) =>
    toRecord(`p${r.partition}`, r.offset, r.value, r.headers, r.timestamp),
  );
}
