// The chaos suite: 3 `sluice worker`s, 2 RocketMQ masters and Kafka, sequence-numbered records
// both ways while workers are SIGTERMed, SIGKILLed, SIGSTOPped and twinned and brokers restart.
// Every record is then looked for on the far side, with plain clients.
//
//   node --conditions=sluice:source bench/chaos.ts [--minutes 10] [--quick] [--rate 300]
//        [--kafka-brokers 1] [--seed 1] [--scenarios twin,sigstop]
//
// Prints lost / duplicated / epoch regressions (two owners) per scenario and direction, and
// writes the whole result as JSON to bench/results/. Not part of `npm test` (a 2-minute version
// is: packages/runtime/test/cluster/chaos.it.test.ts). Exits 1 when anything was lost or an
// epoch went back.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_SCENARIOS, runChaos, type ScenarioName } from '../packages/runtime/test/chaos/chaos-run.ts';
import { chaosFailures, chaosTable } from '../packages/runtime/test/chaos/report.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    quick: { type: 'boolean', default: false },
    rate: { type: 'string', default: '300' },
    'kafka-brokers': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    /** Only these scenarios, comma-separated (e.g. twin,sigstop). */
    scenarios: { type: 'string' },
  },
});
const scenarios = (values.scenarios?.split(',') ?? [...ALL_SCENARIOS]) as ScenarioName[];
for (const s of scenarios)
  if (!ALL_SCENARIOS.includes(s))
    throw new Error(`unknown scenario ${s}: one of ${ALL_SCENARIOS.join(', ')}`);
const minutes = values.quick ? 2 : Number(values.minutes);
if (!(minutes > 0)) throw new Error('--minutes must be a positive number');

const result = await runChaos({
  scenarioMs: (minutes * 60_000) / scenarios.length,
  scenarios,
  rate: Number(values.rate),
  kafkaBrokers: Number(values['kafka-brokers']),
  seed: Number(values.seed),
  log: (line) => process.stderr.write(`${line}\n`),
});

process.stdout.write(`${chaosTable(result)}\n`);
const dir = join(import.meta.dirname, 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`written ${file}\n`);
const failures = chaosFailures(result);
for (const f of failures) process.stdout.write(`FAILED: ${f}\n`);
process.exit(failures.length > 0 ? 1 : 0);
