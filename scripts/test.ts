// `npm test`: every test file of every package, through node's own test runner, then a check
// that no broker JVM outlived the run. `npm test -- <filter>` runs the files whose path contains
// <filter>; `npm run test:unit` skips the integration files (*.it.test.ts), which start brokers.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { glob } from 'node:fs/promises';
import { exitOnTestkitError, requireJava, resolveClasspath, testkitJvmPids } from '@sluice/testkit';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

const files: string[] = [];
for await (const file of glob(['packages/*/test/**/*.test.ts', 'scripts/test/*.test.ts'])) files.push(file);
files.sort();
const selected = files.filter(
  (f) =>
    (!unitOnly || !f.endsWith('.it.test.ts')) && (filters.length === 0 || filters.some((x) => f.includes(x))),
);
if (selected.length === 0) {
  process.stderr.write(`no test file matches ${filters.join(' ')}\n`);
  process.exit(1);
}

// Our JVMs carry this session id: another run on the same machine is none of our business.
const session = `${process.pid}-${randomBytes(4).toString('hex')}`;
const before = new Set(await testkitJvmPids(session));
if (selected.some((f) => f.endsWith('.it.test.ts'))) {
  // Resolve the broker jars once, up front, rather than inside the first test's time limit.
  const t0 = Date.now();
  // Missing Java or Maven: one line saying what to install, before any test starts.
  try {
    requireJava();
    await Promise.all(
      (['rocketmq', 'rocketmq-4.9', 'kafka', 'kafka-connect'] as const).map((p) => resolveClasspath(p)),
    );
  } catch (err) {
    exitOnTestkitError(err);
  }
  process.stdout.write(`broker jars ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** One node --test run over some files; resolves to its exit code. */
function runTests(list: string[], concurrency: number): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=sluice:source',
        '--test',
        `--test-concurrency=${concurrency}`,
        '--test-timeout=300000',
        '--test-reporter=spec',
        ...list,
      ],
      { stdio: 'inherit', env: { ...process.env, SLUICE_TESTKIT_SESSION: session } },
    );
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
}

// Unit files two at a time (they start nothing); integration files one at a time: they start
// JVMs, and there are two cores. The integration run's summary comes last.
const unitFiles = selected.filter((f) => !f.endsWith('.it.test.ts'));
const itFiles = selected.filter((f) => f.endsWith('.it.test.ts'));
let code = unitFiles.length > 0 ? await runTests(unitFiles, 2) : 0;
if (itFiles.length > 0) code = Math.max(code, await runTests(itFiles, 1));

const leftover = (await testkitJvmPids(session)).filter((p) => !before.has(p));
if (leftover.length > 0) {
  process.stderr.write(`FAIL: ${leftover.length} broker JVM(s) outlived the tests: ${leftover.join(', ')}\n`);
  for (const pid of leftover) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  process.exit(1);
}
process.exit(code);
