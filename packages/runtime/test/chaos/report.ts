import type { ChaosResult } from './chaos-run.ts';

// A chaos run for people (a table) and for the test and the benchmark's exit code (failures).

export function chaosTable(r: ChaosResult): string {
  const head = ['scenario', 'faults', 'direction', 'fed', 'lost', 'duplicated', 'dup %', 'epoch regressions'];
  const rows = [head];
  for (const s of r.scenarios)
    for (const [dir, c] of [
      ['Kafka → RocketMQ', s.kafkaToRocketmq],
      ['RocketMQ → Kafka', s.rocketmqToKafka],
    ] as const)
      rows.push([
        s.scenario,
        String(s.faults),
        dir,
        String(c.fed),
        String(c.lost),
        String(c.duplicated),
        c.fed ? ((100 * c.duplicated) / c.fed).toFixed(2) : '-',
        String(c.epochRegressions),
      ]);
  const widths = head.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const table = rows
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  const drained = r.drainedInMs === undefined ? 'never' : `${(r.drainedInMs / 1000).toFixed(1)} s`;
  return `${table}\ntwins superseded and exited: ${r.twins.supersededExits} of ${r.twins.dealt}; drained in ${drained}; run took ${(r.elapsedMs / 60_000).toFixed(1)} min`;
}

/** What the run must not show: anything lost, an epoch gone back, a twin that kept running. */
export function chaosFailures(r: ChaosResult): string[] {
  const out: string[] = [];
  for (const s of r.scenarios)
    for (const [dir, c] of [
      ['Kafka → RocketMQ', s.kafkaToRocketmq],
      ['RocketMQ → Kafka', s.rocketmqToKafka],
    ] as const) {
      if (c.lost > 0) out.push(`${s.scenario}, ${dir}: ${c.lost} of ${c.fed} lost`);
      if (c.epochRegressions > 0) out.push(`${s.scenario}, ${dir}: ${c.epochRegressions} epoch regressions`);
    }
  if (r.twins.supersededExits < r.twins.dealt)
    out.push(`${r.twins.dealt - r.twins.supersededExits} woken twins did not exit`);
  if (r.drainedInMs === undefined) out.push('the far sides never held every record');
  return out;
}
