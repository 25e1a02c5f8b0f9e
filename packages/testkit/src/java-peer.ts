import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestkitError } from './errors.ts';
import { JVM_MARKER, JVM_UTF8 } from './java.ts';
import type { Credentials } from './mqadmin.ts';

export interface JavaPeerOptions {
  credentials?: Credentials;
  timeoutMs?: number;
}

/**
 * Runs RocketMQ's own Java client (java/JavaPeer.java, in source-launcher mode, on the broker's
 * classpath) and returns its output lines. See JavaPeer.java for the commands.
 */
export function javaPeer(
  cluster: { classpath: string },
  args: string[],
  opts: JavaPeerOptions = {},
): Promise<string[]> {
  const source = fileURLToPath(new URL('../java/JavaPeer.java', import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (opts.credentials) {
    env.ACCESS_KEY = opts.credentials.accessKey;
    env.SECRET_KEY = opts.credentials.secretKey;
  }
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      [
        JVM_MARKER,
        ...JVM_UTF8,
        '-Xmx512m',
        '-XX:+UseSerialGC',
        // The client logs below user.home; keep that out of the real home directory.
        `-Duser.home=${join(tmpdir(), 'sluice-java-peer')}`,
        '-cp',
        cluster.classpath,
        source,
        ...args,
      ],
      { env, timeout: opts.timeoutMs ?? 180_000, maxBuffer: 256 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        // Not err.message: it repeats the whole command line, classpath included.
        const why = err?.killed ? 'timed out' : `exit ${err?.code}`;
        if (err)
          reject(new TestkitError(`JavaPeer ${args.join(' ')} failed (${why}):\n${stderr.slice(-4000)}`));
        // Logback prints its own start-up chatter on stdout: keep only the peer's lines.
        else resolve(stdout.split('\n').filter((l) => /^(SENT|MSG|RESULT)\t/.test(l)));
      },
    );
  });
}
