import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChaos } from '../chaos/chaos-run.ts';
import { chaosFailures, chaosTable } from '../chaos/report.ts';

// The chaos suite's short run (bench/chaos.ts runs it for longer): 3 workers, 2 RocketMQ
// masters, Kafka, records both ways; every fault once or a few times. Nothing may be lost and no
// connector's epoch may go back in any queue or partition (two owners); duplicates are printed.

test('chaos, 2 minutes: SIGTERM, SIGKILL, SIGSTOP, a twin, Kafka and RocketMQ restarts: 0 lost, 0 epoch regressions', {
  timeout: 12 * 60_000,
}, async (t) => {
  const result = await runChaos({ scenarioMs: 120_000 / 7, rate: 200, drainMs: 120_000 });
  t.diagnostic(`\n${chaosTable(result)}`);
  const failures = chaosFailures(result);
  // The first regressions name both records (place, offset, epoch, worker, when): enough to tell
  // a second owner from a late write of the first.
  const regressions = JSON.stringify(result.regressions, null, 1);
  assert.deepEqual(failures, [], `${failures.join('\n')}\n${result.events.join('\n')}\n${regressions}`);
});
