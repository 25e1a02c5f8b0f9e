// What a record costs on its way through a worker, without brokers or sockets: the mapping Sluice
// does per record (Kafka record ↔ RocketMQ message, headers, owner headers, loop marker) on top of
// the wire encoding and decoding the clients do anyway. Each case prints CPU microseconds per
// record for the whole path and for the encoding or decoding alone, measured in the same run,
// and their ratio: how much the runtime's own work adds.
//
//   npm run build && node --max-semi-space-size=8 --conditions=sluice:source bench/codec.ts [--rounds 5]
//
// The worker's own node flags (--max-semi-space-size=8) matter here: they change the GC cost.
import { parseArgs } from 'node:util';
import { type FetchedRecord, kafkaToSource, sinkToKafka } from '@sluice/connector-kafka';
import { decodeMessages, UniqueIdGenerator } from '@sluice/rocketmq';
import { encodeCheckedProperties, prepareMessage } from '../packages/rocketmq/src/client/outgoing-message.ts';
import { encodeSendBatchMessage } from '../packages/rocketmq/src/requests/send-batch-message.ts';
import { storedMessage } from '../packages/rocketmq/test/protocol/stored-message.ts';
import { toMessage, toSinkRecord } from '../packages/runtime/src/records/message-mapping.ts';
import { kafkaBatch } from './codec/wire.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const say = (s: string) => process.stdout.write(`${s}\n`);

const owner = {
  'sluice.connector': 'bench-5',
  'sluice.task': '0',
  'sluice.epoch': '3',
  'sluice.worker': 'bench-1',
};
const loop = { enabled: true, marker: 'by_connector' };
const body = Buffer.alloc(1024, 'x');
const BATCH = 256;

/** CPU µs per record of `fn(batch)` over `n` batches, after one warm-up pass. */
function cost(fn: () => void, batches = 400): number {
  for (let i = 0; i < 50; i++) fn();
  const c0 = process.cpuUsage();
  for (let i = 0; i < batches; i++) fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / (batches * BATCH);
}

// Kafka → RocketMQ: fetched Kafka records become one RocketMQ batch request.
const ids = new UniqueIdGenerator();
const partitions = [0, 1, 2, 3].map((p) => ({ topic: 'orders', partition: p }));
const fetched: FetchedRecord[] = Array.from({ length: BATCH }, (_, i) => ({
  topic: 'orders',
  partition: i % 4,
  offset: BigInt(i),
  key: Buffer.from(`key-${i % 1000}`),
  value: body,
  headers: [['trace', Buffer.from(`t-${i}`)]],
  timestamp: 1_700_000_000_000 + i,
}));
const header = {
  producerGroup: 'g',
  topic: 'orders',
  queueId: 1,
  sysFlag: 0,
  bornTimestamp: 0,
  flag: 0,
  properties: '',
  brokerName: 'broker-a',
};
const encodeEntries = (msgs: ReturnType<typeof toMessage>[]) =>
  encodeSendBatchMessage(
    header,
    msgs.map((m) => {
      const p = prepareMessage(m, ids.next());
      return {
        body: p.body,
        flag: p.flag,
        properties: encodeCheckedProperties(p.properties),
        msgId: p.msgId,
      };
    }),
  );
const toMessages = () =>
  fetched.map((r) => toMessage(kafkaToSource(r, 'orders', loop, undefined, partitions[r.partition])!, owner));
const readyMessages = toMessages();
const krPath = () => encodeEntries(toMessages());
const krWire = () => encodeEntries(readyMessages);

// RocketMQ → Kafka: a pull body of stored messages becomes one Kafka record batch.
const props = {
  KEYS: 'key-17',
  UNIQ_KEY: '7F00000100002A9F0000000000123456',
  WAIT: 'true',
  by_connector: 'kafka:orders',
  ...owner,
};
const pullBody = Buffer.concat(
  Array.from({ length: BATCH }, (_, i) =>
    storedMessage({
      magic: 0xdaa320ab | 0,
      body,
      topic: 'orders',
      properties: props,
      queueOffset: BigInt(i),
      commitLogOffset: BigInt(i * 1200),
    }),
  ),
);
const queue = { topic: 'orders', brokerName: 'broker-a', queueId: 1 };
const toKafka = (msgs: ReturnType<typeof decodeMessages>) =>
  msgs.map((m) => sinkToKafka(toSinkRecord(queue, m), 'orders-out', loop, owner)!);
const mapped = toKafka(decodeMessages(pullBody));
const rkPath = () => kafkaBatch(toKafka(decodeMessages(pullBody)));
const rkDecode = () => decodeMessages(pullBody);
const rkEncode = () => kafkaBatch(mapped);

say(
  `CPU µs per record (1 KiB bodies, ${BATCH} per batch, owner headers and loop marker on), ${rounds} rounds`,
);
say('case                                     whole path   wire alone   path ÷ wire');
for (let r = 0; r < rounds; r++) {
  const kr = cost(krPath);
  const krw = cost(krWire);
  const rk = cost(rkPath);
  const rkw = cost(rkDecode) + cost(rkEncode);
  say(
    `Kafka → RocketMQ (map + batch encode)   ${kr.toFixed(2).padStart(10)}   ${krw.toFixed(2).padStart(10)}   ${(kr / krw).toFixed(2).padStart(11)}`,
  );
  say(
    `RocketMQ → Kafka (decode + map + encode)${rk.toFixed(2).padStart(10)}   ${rkw.toFixed(2).padStart(10)}   ${(rk / rkw).toFixed(2).padStart(11)}`,
  );
}
