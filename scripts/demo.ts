// `npm run demo`. The full demo (two workers moving records Kafka ⇄ RocketMQ with live progress)
// comes with the Kafka connectors; until then it starts the local brokers the demo will use.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

process.stdout.write(
  [
    'Sluice demo — early stage.',
    'The runtime and its Kafka ⇄ RocketMQ connectors are not built yet, so for now the demo only',
    'starts what it will run on: a local RocketMQ (name server + broker) and a local Kafka (KRaft).',
    '',
  ].join('\n'),
);

const cli = fileURLToPath(new URL('../packages/testkit/src/cli.ts', import.meta.url));
const child = spawn(process.execPath, ['--conditions=sluice:source', cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// Ctrl-C reaches the child too (same process group); wait for it to stop its brokers.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 1));
