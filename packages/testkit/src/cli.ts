#!/usr/bin/env node
// `npm run brokers`: local RocketMQ and Kafka for trying Sluice by hand, stopped with Ctrl-C.
import { parseArgs } from 'node:util';
import { type Brokers, startBrokers } from './brokers.ts';
import { TestkitError } from './errors.ts';
import { exitOnTestkitError } from './toolchain.ts';

const HELP = `Usage: npm run brokers -- [options]

Starts a RocketMQ name server and broker and a Kafka broker (KRaft) on free 127.0.0.1 ports,
prints their addresses and keeps them running until Ctrl-C (or SIGTERM), then stops them and
removes their temp dir.

Options:
  --rocketmq-brokers N   RocketMQ master brokers in the cluster (default 1)
  --kafka-brokers N      Kafka brokers (default 1; the first is also the controller)
  --acl                  RocketMQ with authentication and authorization on
  --no-rocketmq          start no RocketMQ
  --no-kafka             start no Kafka
  --json                 print the addresses as one JSON line (for scripts)
  -h, --help             this text
`;

function count(value: string | undefined, name: string): number {
  const n = Number(value ?? '1');
  if (!Number.isInteger(n) || n < 1 || n > 3) {
    process.stderr.write(`--${name} must be 1, 2 or 3 (got ${value})\n`);
    process.exit(2);
  }
  return n;
}

function describe(brokers: Brokers): Record<string, unknown> {
  const { rocketmq, kafka } = brokers;
  return {
    ...(rocketmq && {
      rocketmq: {
        namesrvAddr: rocketmq.namesrvAddr,
        cluster: rocketmq.clusterName,
        brokers: Object.fromEntries(rocketmq.brokers.map((b) => [b.name, b.addr])),
        ...(rocketmq.acl && { acl: rocketmq.acl }),
      },
    }),
    ...(kafka && { kafka: { bootstrap: kafka.bootstrap } }),
    logs: brokers.logsDir,
  };
}

function printTable(brokers: Brokers): void {
  const rows: [string, string][] = [];
  const { rocketmq, kafka } = brokers;
  if (rocketmq) {
    rows.push(['RocketMQ name server', rocketmq.namesrvAddr]);
    for (const b of rocketmq.brokers)
      rows.push([`RocketMQ ${b.name}`, `${b.addr} (cluster ${rocketmq.clusterName})`]);
    if (rocketmq.acl) {
      const { admin, limited } = rocketmq.acl;
      rows.push(['RocketMQ admin account', `${admin.accessKey} / ${admin.secretKey}`]);
      rows.push([
        'RocketMQ limited account',
        `${limited.accessKey} / ${limited.secretKey} (topic ${limited.topic}, group ${limited.group})`,
      ]);
    }
  }
  if (kafka) rows.push(['Kafka bootstrap', kafka.bootstrap]);
  rows.push(['Logs', brokers.logsDir]);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  process.stdout.write('\nRunning. Press Ctrl-C to stop.\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'rocketmq-brokers': { type: 'string' },
      'kafka-brokers': { type: 'string' },
      acl: { type: 'boolean', default: false },
      'no-rocketmq': { type: 'boolean', default: false },
      'no-kafka': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const started = Date.now();
  if (!values.json) process.stdout.write('Starting brokers…\n');
  let brokers: Brokers | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!values.json) process.stdout.write(`\n${signal}: stopping brokers…\n`);
    const t0 = Date.now();
    await brokers?.stop();
    const took = ((Date.now() - t0) / 1000).toFixed(1);
    if (!values.json) process.stdout.write(`Stopped in ${took} s; temp dir removed.\n`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  brokers = await startBrokers({
    rocketmq: values['no-rocketmq']
      ? false
      : { brokers: count(values['rocketmq-brokers'], 'rocketmq-brokers'), acl: values.acl },
    kafka: values['no-kafka'] ? false : { brokers: count(values['kafka-brokers'], 'kafka-brokers') },
  });
  if (stopping) return;
  if (values.json) process.stdout.write(`${JSON.stringify(describe(brokers))}\n`);
  else {
    process.stdout.write(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n\n`);
    printTable(brokers);
  }
  // Stay alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch((err: unknown) => {
  if (err instanceof TestkitError) exitOnTestkitError(err);
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
