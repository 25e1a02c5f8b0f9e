// A bare loop in a process of its own, so that its CPU time and memory are measured the same way
// as the worker's (/proc): `node bare-process.ts '<json>'`. Prints {"event":"ready"} once its
// clients are loaded, runs on "go" from stdin, prints {"event":"done","rate":…}, and exits when
// its stdin ends (so that the parent can read its CPU time first).
import { createInterface } from 'node:readline';
import { bareKafkaToRocketMQ, bareRocketMQToKafka } from './bare-loops.ts';
import type { BareJob } from './bare-run.ts';

const job = JSON.parse(process.argv[2]!) as BareJob;
// Load the Kafka library before "ready", as the worker has it loaded before its first record.
await import('@platformatic/kafka');
process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
for (let l = await lines.next(); !l.done && l.value !== 'go'; l = await lines.next());
const rate =
  job.direction === 'kr'
    ? await bareKafkaToRocketMQ(job.ep, job.from, job.to, job.count, job.loops)
    : await bareRocketMQToKafka(job.ep, job.from, job.to, job.loops);
process.stdout.write(`${JSON.stringify({ event: 'done', rate })}\n`);
while (!(await lines.next()).done);
process.exit(0);
