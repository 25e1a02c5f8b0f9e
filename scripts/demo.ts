// `npm run demo`: local RocketMQ and Kafka, two Sluice workers, the original design's two example
// connectors (a two-way sync of topic `kafkaconnect`), records produced on both sides, and live
// progress until Ctrl-C. `npm run demo -- --duration 30` stops by itself after 30 s.

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Admin as KafkaAdmin } from '@platformatic/kafka';
import { KafkaReader, KafkaWriter } from '@sluice/connector-kafka';
import { Admin, Producer, PullConsumer } from '@sluice/rocketmq';
import { exitOnTestkitError, startBrokers } from '@sluice/testkit';
import {
  rawGet,
  startWorkerProcess,
  type WorkerProcess,
} from '../packages/runtime/test/cluster/worker-process.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string' }, rate: { type: 'string', default: '200' } },
});
const rate = Number(values.rate);
const say = (s = '') => process.stdout.write(`${s}\n`);
const TOPIC = 'kafkaconnect';

say('Sluice demo: Kafka ⇄ RocketMQ, two workers, the original design’s two example connectors.');
say('Starting a local RocketMQ (name server + broker) and Kafka (KRaft) from Maven Central jars…');
// A missing Java or Maven is one line saying what to install, not a stack trace.
const brokers = await startBrokers().catch(exitOnTestkitError);
const dir = await mkdtemp(join(tmpdir(), 'sluice-demo-'));
const workers: WorkerProcess[] = [];
let stopping = false;
const stop = async (why: string) => {
  if (stopping) return;
  stopping = true;
  say(`\n${why}: stopping the workers and the brokers…`);
  for (const w of workers) w.process.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await brokers.stop();
  await rm(dir, { recursive: true, force: true });
  say('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('Ctrl-C'));
process.on('SIGTERM', () => void stop('SIGTERM'));

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

try {
  const namesrvAddr = brokers.rocketmq!.namesrvAddr;
  const kafka = brokers.kafka!.bootstrap;
  say(`  RocketMQ name server ${namesrvAddr}   Kafka ${kafka}`);
  const admin = new Admin({ namesrvAddr });
  await admin.createTopic(TOPIC, { readQueueNums: 4, writeQueueNums: 4 });
  admin.close();
  const kafkaAdmin = new KafkaAdmin({ clientId: 'demo', bootstrapBrokers: [kafka] });
  await kafkaAdmin.createTopics({ topics: [TOPIC], partitions: 3, replicas: 1 });
  await kafkaAdmin.close();

  say('Starting two workers (`sluice worker`); they find each other through RocketMQ…');
  const port1 = (await portFree(8082)) ? '8082' : '0';
  for (const [id, port] of [
    ['demo-worker-1', port1],
    ['demo-worker-2', '0'],
  ]) {
    workers.push(
      await startWorkerProcess({
        dir,
        namesrvAddr,
        workerId: id!,
        settings: { httpPort: port!, memberTimeoutMs: '10000', heartbeatIntervalMs: '2000' },
      }),
    );
  }
  for (const w of workers) say(`  ${w.workerId} at ${w.url}`);

  say('\nCreating the two connectors with the original design’s URLs, braces and quotes as written');
  say('(only the Kafka address is the local one instead of 127.0.0.1:9092):');
  const urls = [
    `/connectors/create/kafkaSource?config={"tasks.num":"4","kafka.topics":"kafkaconnect","kafka.bootstrap.server":"${kafka}"}`,
    `/connectors/create/kafkaSink?config={"topicNames":"kafkaconnect","tasks.num":"2","kafka.bootstrap.server":"${kafka}"}`,
  ];
  for (const [i, path] of urls.entries()) {
    const w = workers[i]!;
    const answer = await rawGet(w.url, path);
    say(`  GET ${w.url}${path}\n    → ${answer.status} ${answer.body}`);
  }
  say('\nkafkaSource copies Kafka `kafkaconnect` into RocketMQ `kafkaconnect`; kafkaSink copies RocketMQ');
  say('`kafkaconnect` into Kafka `kafkaconnect`. Each record crosses once: the loop marker keeps the');
  say(`copies from echoing back. Producing ${rate} records/s into each side…`);
  say(`While it runs, in another terminal: npm run sluice -- connectors list --url ${workers[0]!.url}`);
  say(`                                 or: curl -s ${workers[1]!.url}/connectors/kafkaSink/status`);
  say(`                                 or: npm run sluice -- top --url ${workers[0]!.url}`);
  say(`The dashboard, in a browser: ${workers[0]!.url}/ui/\n`);

  const writer = new KafkaWriter({ bootstrap: [kafka], clientId: 'demo-producer' });
  const producer = new Producer({ namesrvAddr, group: 'demo-producer' });
  const reader = new KafkaReader({ bootstrap: [kafka], clientId: 'demo-counter' }, 'demo-counter');
  const counter = new PullConsumer({ namesrvAddr, group: 'demo-counter' });
  let producedKafka = 0;
  let producedRocketMQ = 0;
  let feeding = true;
  const feed = (async () => {
    for (let i = 0; feeding; i++) {
      const batch = Math.max(1, Math.round(rate / 10));
      await Promise.all([
        writer.send(
          Array.from({ length: batch }, (_, j) => ({
            topic: TOPIC,
            key: Buffer.from(`user-${(i * batch + j) % 20}`),
            value: Buffer.from(JSON.stringify({ from: 'kafka', n: i * batch + j })),
            headers: {},
          })),
        ),
        ...Array.from({ length: batch }, (_, j) =>
          producer.send({
            topic: TOPIC,
            keys: `order-${(i * batch + j) % 20}`,
            body: JSON.stringify({ from: 'rocketmq', n: i * batch + j }),
          }),
        ),
      ]).then(() => {
        producedKafka += batch;
        producedRocketMQ += batch;
      });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const totals = async () => {
    let rmq = 0n;
    for (const q of await counter.queues(TOPIC))
      rmq += (await counter.maxOffset(q)) - (await counter.minOffset(q));
    const parts = await reader.partitions([TOPIC]);
    const [lo, hi] = await Promise.all([reader.offsets(parts, 'earliest'), reader.offsets(parts, 'latest')]);
    let kfk = 0n;
    for (const [k, v] of hi) kfk += v - (lo.get(k) ?? 0n);
    return { rocketmq: Number(rmq), kafka: Number(kfk) };
  };
  const t0 = Date.now();
  let last = { k2r: 0, r2k: 0, at: Date.now() };
  const deadline = values.duration ? t0 + Number(values.duration) * 1000 : Number.POSITIVE_INFINITY;
  say(
    '  time   produced into Kafka / RocketMQ   moved Kafka→RocketMQ   moved RocketMQ→Kafka   (Ctrl-C to stop)',
  );
  while (!stopping && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    const t = await totals().catch(() => undefined);
    if (!t) continue;
    const k2r = t.rocketmq - producedRocketMQ;
    const r2k = t.kafka - producedKafka;
    const secs = (Date.now() - last.at) / 1000;
    say(
      `  ${String(Math.round((Date.now() - t0) / 1000)).padStart(4)}s   ${String(producedKafka).padStart(8)} / ${String(producedRocketMQ).padEnd(8)}` +
        `          ${String(k2r).padStart(8)} (${Math.round((k2r - last.k2r) / secs)}/s)` +
        `        ${String(r2k).padStart(8)} (${Math.round((r2k - last.r2k) / secs)}/s)`,
    );
    last = { k2r, r2k, at: Date.now() };
  }
  feeding = false;
  await feed;
  say('\nProducers stopped; letting the connectors catch up…');
  let t = await totals();
  for (
    let i = 0;
    i < 30 && (t.rocketmq - producedRocketMQ < producedKafka || t.kafka - producedKafka < producedRocketMQ);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 500));
    t = await totals();
  }
  const k2r = t.rocketmq - producedRocketMQ;
  const r2k = t.kafka - producedKafka;
  say('\nSummary');
  say(
    `  Kafka → RocketMQ: ${producedKafka} produced into Kafka, ${k2r} arrived in RocketMQ${k2r > producedKafka ? ` (${k2r - producedKafka} extra)` : ''}`,
  );
  say(
    `  RocketMQ → Kafka: ${producedRocketMQ} produced into RocketMQ, ${r2k} arrived in Kafka${r2k > producedRocketMQ ? ` (${r2k - producedRocketMQ} extra)` : ''}`,
  );
  say(
    `  Echoes: ${k2r <= producedKafka && r2k <= producedRocketMQ ? 'none — every record crossed once' : 'some records came back (see above)'}`,
  );
  await writer.close();
  producer.close();
  await reader.close();
  await counter.close();
  await stop('Done');
} catch (err) {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  for (const w of workers) process.stderr.write(`--- ${w.workerId}\n${w.log.join('').slice(-2000)}\n`);
  await stop('Failed');
}
