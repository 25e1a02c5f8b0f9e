import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache.ts';
import { TestkitError } from './errors.ts';
import { requireJava, requireMaven, TOOLCHAIN_HINT } from './toolchain.ts';

export type Product = 'rocketmq' | 'rocketmq-4.9' | 'kafka' | 'kafka-connect';

const LOCK_STALE_MS = 15 * 60_000;

/** The pom that pins a product's jars; it ships beside src/ and dist/ alike. */
export function pomPath(product: Product): string {
  return fileURLToPath(new URL(`../jars/${product}/pom.xml`, import.meta.url));
}

/**
 * The Java classpath of a product, resolving it through Maven on the first call.
 * The answer is cached under the pom's hash, and reused only while every jar is still on disk,
 * so a changed pin or a wiped ~/.m2 resolves again instead of failing at JVM start.
 */
export async function resolveClasspath(product: Product): Promise<string> {
  const pom = pomPath(product);
  const hash = createHash('sha256')
    .update(await readFile(pom))
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir(), 'classpath');
  const file = join(dir, `${product}-${hash}.txt`);
  const cached = await readUsable(file);
  if (cached) return cached;

  await mkdir(dir, { recursive: true });
  const release = await lock(join(dir, `${product}.lock`));
  try {
    const again = await readUsable(file);
    if (again) return again;
    requireJava();
    requireMaven();
    const tmp = `${file}.${process.pid}.tmp`;
    process.stderr.write(`[testkit] resolving ${product} jars with Maven (only the first run downloads)\n`);
    await runMaven(pom, tmp);
    await rename(tmp, file);
    const resolved = await readUsable(file);
    if (!resolved) throw new TestkitError(`Maven resolved ${product} but some jars are missing; see ${file}`);
    return resolved;
  } finally {
    await release();
  }
}

async function readUsable(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
  const jars = text.split(':').filter(Boolean);
  if (jars.length === 0) return undefined;
  try {
    await Promise.all(jars.map((jar) => access(jar)));
  } catch {
    return undefined;
  }
  return jars.join(':');
}

function runMaven(pom: string, outputFile: string): Promise<void> {
  const args = [
    '-B',
    '-q',
    '-f',
    pom,
    'dependency:build-classpath',
    `-Dmdep.outputFile=${outputFile}`,
    '-Dmdep.includeScope=runtime',
  ];
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (err) => {
      reject(
        new TestkitError(`could not run \`mvn\` to fetch the broker jars: ${TOOLCHAIN_HINT}`, { cause: err }),
      );
    });
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new TestkitError(`mvn dependency:build-classpath failed (exit ${code}) for ${pom}:\n${output}`),
        );
    });
  });
}

/** A cross-process lock (mkdir is atomic), so parallel test files resolve a product once. */
async function lock(path: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(path);
      return () => rm(path, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) await rm(path, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
}
