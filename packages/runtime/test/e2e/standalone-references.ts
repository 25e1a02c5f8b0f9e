import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plugin, SourceTask } from '@sluice/connect-api';
import { parseWorkerConfig } from '../../src/config/worker-config.ts';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';
import { StandaloneWorker } from '../../src/worker/standalone-worker.ts';
import { until } from '../cluster/worker-process.ts';

/**
 * A standalone worker given a secret as a reference: the task gets the value; connectors.json,
 * the API's views, the task's trace and every log line keep the reference.
 */
export async function checkStandaloneReferences(
  namesrvAddr: string,
  dir: string,
  acl: { accessKey: string; secretKey: string },
): Promise<void> {
  const SECRET = 'db-Secret-5521';
  const seen: Record<string, string>[] = [];
  const secretive: Plugin = {
    name: 'secretive',
    version: '1.0.0',
    connectors: {
      SecretSource: () => {
        let given: Record<string, string> = {};
        return {
          kind: 'source',
          configSpec: {
            fields: [
              { name: 'topic', type: 'string', required: true, doc: 'where records would go' },
              { name: 'db.pass', type: 'password', required: true, doc: 'a secret' },
            ],
          },
          start(config, ctx) {
            given = { ...config };
            // A careless connector: it logs what it was given.
            ctx.logger.info('starting with', { config });
          },
          taskConfigs: () => [{ ...given, dsn: `postgres://app:${given['db.pass']}@db/app` }],
          stop() {},
          createTask: (): SourceTask => ({
            start(config) {
              seen.push({ ...config });
              throw new Error(`login refused for password ${config['db.pass']}`);
            },
            poll: async () => [],
            stop() {},
          }),
        };
      },
    },
  };
  const lines: string[] = [];
  const capture = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push(JSON.stringify({ level, msg, fields }));
  const logger = {
    debug: capture('debug'),
    info: capture('info'),
    warn: capture('warn'),
    error: capture('error'),
  };
  const secrets = join(dir, 'secrets.properties');
  await writeFile(secrets, `db.pass=${SECRET}\n`);
  const store = join(dir, 'store-providers');
  const { config } = parseWorkerConfig(
    `workerId=wp\nstorePathRootDir=${store}\nnamesrvAddr=${namesrvAddr}\nconfigProviders=file\n` +
      `aclEnable=true\naccessKey=${acl.accessKey}\nsecretKey=${acl.secretKey}\n`,
  );
  const worker = new StandaloneWorker(config, new PluginRegistry([secretive]), logger);
  await worker.start();
  const reference = `\${file:${secrets}:db.pass}`;
  try {
    await worker.addConnector('secretive', {
      'connector.class': 'SecretSource',
      topic: 'healthy',
      'db.pass': reference,
    });
    await until(
      'the task to fail',
      async () => worker.getConnector('secretive').tasks[0]?.status.state === 'FAILED',
      10_000,
    );
    assert.equal(seen[0]?.['db.pass'], SECRET, 'the task was given the resolved value');
    const info = worker.getConnector('secretive');
    assert.equal(info.config['db.pass'], reference);
    assert.equal(info.tasks[0]!.config['db.pass'], reference);
    assert.equal(info.tasks[0]!.config.dsn, `postgres://app:${reference}@db/app`);
    assert.match(info.tasks[0]!.status.trace!, /login refused for password \$\{file:/);
    const everything = [
      JSON.stringify(info),
      ...lines,
      await readFile(join(store, 'standalone', 'connectors.json'), 'utf8'),
    ].join('\n');
    assert.ok(
      !everything.includes(SECRET),
      `the secret shows: ${everything.slice(everything.indexOf(SECRET) - 200, everything.indexOf(SECRET))}`,
    );
    assert.ok(
      lines.some((l) => l.includes('starting with')),
      'the connector’s own log line is there, cleaned',
    );
    // A reference that cannot be resolved is refused at create, naming the key, not started.
    await assert.rejects(
      worker.addConnector('missing', {
        'connector.class': 'SecretSource',
        topic: 'healthy',
        'db.pass': `\${file:${secrets}:nope}`,
      }),
      /db\.pass \$\{file:.*has no key nope/,
    );
  } finally {
    await worker.stop();
  }
}
