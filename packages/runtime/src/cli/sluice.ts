#!/usr/bin/env -S node --max-semi-space-size=8
// The `sluice` command: `sluice --help` lists what it does.
//
// The V8 flag above caps the young generation at 3 × 8 MiB: Node 24 lets it grow to 3 × 64 MiB
// on a large machine, which at full speed costs ~100 MiB of RSS for ~4% less CPU
// (docs/benchmarks.md). `WORKER_NODE_FLAGS` in the test helper repeats it.
import { UsageError } from './client.ts';
import { runCli } from './program.ts';

runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || (err as Error).name === 'WorkerConfigError';
    process.stderr.write(`sluice: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(usage ? 2 : 1);
  },
);
