import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestkitError } from './errors.ts';
import { JVM_MARKER, JVM_UTF8 } from './java.ts';

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

export interface MqadminOptions {
  /** Sign requests as this account (written to the tool's own conf/tools.yml). Default: unsigned. */
  credentials?: Credentials;
  timeoutMs?: number;
}

interface ClusterLike {
  namesrvAddr: string;
  home: string;
  classpath: string;
}

/**
 * Runs RocketMQ's own admin tool (`mqadmin <command> …`) against the cluster and returns what it
 * printed. mqadmin exits 0 even when the command failed, so callers must check the text.
 */
export async function mqadmin(
  cluster: ClusterLike,
  args: string[],
  opts: MqadminOptions = {},
): Promise<string> {
  // mqadmin reads credentials from $ROCKETMQ_HOME/conf/tools.yml: one home per account.
  const home = join(cluster.home, 'mqadmin', opts.credentials?.accessKey ?? 'anonymous');
  await writeToolsYml(home, opts.credentials ?? { accessKey: '', secretKey: '' });
  const javaArgs = [
    JVM_MARKER,
    ...JVM_UTF8,
    '-Xmx128m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Duser.home=${home}`,
    `-Drocketmq.home.dir=${home}`,
    '-cp',
    cluster.classpath,
    'org.apache.rocketmq.tools.command.MQAdminStartup',
    ...args,
    '-n',
    cluster.namesrvAddr,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      javaArgs,
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) reject(new TestkitError(`mqadmin ${args[0]} failed: ${err.message}\n${stdout}${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

async function writeToolsYml(home: string, credentials: Credentials): Promise<void> {
  await mkdir(join(home, 'conf'), { recursive: true });
  const yml = `accessKey: ${credentials.accessKey}\nsecretKey: ${credentials.secretKey}\n`;
  await writeFile(join(home, 'conf', 'tools.yml'), yml);
}
