import { spawnSync } from 'node:child_process';
import { TestkitError } from './errors.ts';

/** The oldest Java the brokers run on here (RocketMQ 5.5 and Kafka 4.1 both need 17). */
export const MIN_JAVA = 17;

/** What to install, said the same way in every error and in the README's Requirements. */
export const TOOLCHAIN_HINT =
  'install Java 17+ and Maven 3 (Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven)';

/** The major version in `java -version` output: `openjdk version "17.0.15"` → 17, `"1.8.0_402"` → 8. */
export function javaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

let javaOk = false;
let mavenOk = false;

/** Throws a one-line TestkitError unless `java` on PATH is 17 or newer. */
export function requireJava(env: NodeJS.ProcessEnv = process.env): void {
  if (javaOk && env === process.env) return;
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0)
    throw new TestkitError(`the local brokers need Java, and \`java\` is not on PATH: ${TOOLCHAIN_HINT}`);
  const major = javaMajor(`${probe.stderr}${probe.stdout}`);
  if (major === undefined || major < MIN_JAVA)
    throw new TestkitError(
      `the local brokers need Java ${MIN_JAVA}+, and \`java\` is ${major ?? 'of an unknown version'}: ${TOOLCHAIN_HINT}`,
    );
  if (env === process.env) javaOk = true;
}

/** Throws a one-line TestkitError unless `mvn` runs (it fetches the broker jars the first time). */
export function requireMaven(env: NodeJS.ProcessEnv = process.env): void {
  if (mavenOk && env === process.env) return;
  const probe = spawnSync('mvn', ['-v'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0)
    throw new TestkitError(
      `the broker jars come from Maven Central through Maven, and \`mvn\` is not on PATH: ${TOOLCHAIN_HINT}`,
    );
  if (env === process.env) mavenOk = true;
}

/**
 * For entry points (the demo, `npm test`, `npm run brokers`): a TestkitError is a thing the
 * person can fix, so it is one line on stderr and exit code 1, not a stack trace.
 */
export function exitOnTestkitError(err: unknown): never {
  if (!(err instanceof TestkitError)) throw err;
  process.stderr.write(`sluice: ${err.message}\n`);
  process.exit(1);
}
