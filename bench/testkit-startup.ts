// Start time and memory of the test kit's brokers: how long a test file waits for its brokers,
// and how much of the machine they hold. Not part of the test suite.
//
//   node --conditions=sluice:source bench/testkit-startup.ts [--runs 3] [--cold]
//
// --cold first resolves the jars into an empty Maven repository and cache (a fresh machine).
// Baseline measured in the same run: a bare `java -version` JVM start, the floor of any start.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type JavaProcess, resolveClasspath, startBrokers } from '@sluice/testkit';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, cold: { type: 'boolean', default: false } },
});
const runs = Number(values.runs);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const mib = (bytes: number | undefined) => (bytes === undefined ? Number.NaN : bytes / 2 ** 20);

const result: Record<string, unknown> = { date: new Date().toISOString(), runs };

if (values.cold) {
  const scratch = await mkdtemp(join(tmpdir(), 'sluice-cold-'));
  process.env.SLUICE_CACHE_DIR = join(scratch, 'cache');
  process.env.MAVEN_OPTS = `${process.env.MAVEN_OPTS ?? ''} -Dmaven.repo.local=${join(scratch, 'm2')}`;
  for (const product of ['rocketmq', 'kafka'] as const) {
    const t0 = performance.now();
    await resolveClasspath(product);
    result[`cold_jars_${product}_ms`] = Math.round(performance.now() - t0);
  }
  // The rest of the run uses these fresh jars: the first broker start below is a true first start.
}
for (const product of ['rocketmq', 'kafka'] as const) {
  const t0 = performance.now();
  await resolveClasspath(product);
  result[`warm_jars_${product}_ms`] = Math.round(performance.now() - t0);
}

const jvmFloor: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  spawnSync('java', ['-XX:+UseSerialGC', '-version']);
  jvmFloor.push(performance.now() - t0);
}

type Sample = { ready: number; rss: number };
const samples: Record<string, Sample[]> = {};
const stops: number[] = [];
const add = (name: string, p: JavaProcess | undefined) => {
  if (!p?.readyMs) return;
  samples[name] ??= [];
  samples[name].push({ ready: p.readyMs, rss: mib(p.rssBytes()) });
};
for (let i = 0; i < runs; i++) {
  const brokers = await startBrokers();
  // Let the JVMs settle (JIT, first GC) before reading their memory.
  await new Promise((r) => setTimeout(r, 5000));
  add('RocketMQ name server', brokers.rocketmq?.namesrv);
  add('RocketMQ broker', brokers.rocketmq?.brokers[0]?.process);
  add('Kafka broker (KRaft, combined)', brokers.kafka?.brokers[0]?.process);
  const t0 = performance.now();
  await brokers.stop();
  stops.push(performance.now() - t0);
}

const floor = median(jvmFloor);
const rows = Object.entries(samples).map(([name, s]) => ({
  process: name,
  first_ready_ms: Math.round(s[0]!.ready),
  median_ready_ms: Math.round(median(s.map((x) => x.ready))),
  ready_vs_bare_jvm: Number((median(s.map((x) => x.ready)) / floor).toFixed(1)),
  median_rss_mib: Math.round(median(s.map((x) => x.rss))),
}));
console.table(rows);
console.log(
  `bare JVM start (baseline): ${Math.round(floor)} ms; stop of everything: ${Math.round(median(stops))} ms`,
);
for (const [k, v] of Object.entries(result)) if (k.endsWith('_ms')) console.log(`${k}: ${v}`);

Object.assign(result, { bare_jvm_ms: Math.round(floor), stop_ms: Math.round(median(stops)), rows });
const out = join(import.meta.dirname, 'results', `testkit-startup-${Date.now()}.json`);
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written ${out}`);
if (values.cold) await rm(join(process.env.SLUICE_CACHE_DIR!, '..'), { recursive: true, force: true });
