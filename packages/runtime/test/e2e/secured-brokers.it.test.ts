import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import kafkaConnectors from '@sluice/connector-kafka';
import { DEFAULT_ACL } from '@sluice/testkit';
import { parseWorkerConfig } from '../../src/config/worker-config.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';
import { StandaloneWorker } from '../../src/worker/standalone-worker.ts';
import { until, useCluster } from '../cluster/cluster-helper.ts';
import { startWorkerProcess } from '../cluster/worker-process.ts';
import { createKafkaTopics, createTopics, readKafka, readRocketMQ, writeKafka } from './kafka-rocketmq.ts';
import { checkNoSecretAnywhere, type Secrets } from './secret-walk.ts';
import { checkStandaloneReferences } from './standalone-references.ts';

// The Kafka connectors against a secured Kafka (SASL_PLAINTEXT with PLAIN and SCRAM-SHA-512, SSL
// with client authentication) and an ACL-enabled RocketMQ, their secrets given as config
// provider references: the data moves, wrong credentials fail clearly, and no secret shows.

const PASSWORD = 'Sc-ram-secret-7f3a91';
const secretsDir = mkdtempSync(join(tmpdir(), 'sluice-secrets-'));
after(() => rmSync(secretsDir, { recursive: true, force: true }));
const { admin } = DEFAULT_ACL;
const cluster = useCluster({
  kafka: { security: { saslUsers: { alice: PASSWORD }, ssl: true } },
  rocketmqAcl: true,
  settings: {
    aclEnable: 'true',
    accessKey: admin.accessKey,
    secretKey: admin.secretKey,
    httpAuthToken: 'secured-token',
    configProviders: 'file,directory',
    configProviderAllowedPaths: secretsDir,
    // Walked by the secret test: the seed's GETs that change state answer 403 instead.
    seedRoutes: 'readonly',
  },
});
const COUNT = 2000;
const ref = {
  password: `\${file:${secretsDir}/kafka.properties:password}`,
  ca: `\${directory:${secretsDir}:ca.pem}`,
  cert: `\${directory:${secretsDir}:client.pem}`,
  key: `\${directory:${secretsDir}:client.key}`,
};

function kafka() {
  const k = cluster().brokers.kafka!;
  return { plain: k.bootstrap, sasl: k.saslBootstrap, ssl: k.sslBootstrap, certs: k.certificates! };
}

const scram = (password: string) => ({
  'kafka.bootstrap.server': kafka().sasl,
  'kafka.security.protocol': 'SASL_PLAINTEXT',
  'kafka.sasl.mechanism': 'SCRAM-SHA-512',
  'kafka.sasl.username': 'alice',
  'kafka.sasl.password': password,
});
const mtls = (cert: string, key: string) => ({
  'kafka.bootstrap.server': kafka().ssl,
  'kafka.security.protocol': 'SSL',
  'kafka.ssl.ca.pem': ref.ca,
  'kafka.ssl.certificate.pem': cert,
  'kafka.ssl.key.pem': key,
});

before(async () => {
  const c = await cluster.ready();
  const { certs, plain } = kafka();
  writeFileSync(join(secretsDir, 'kafka.properties'), `# for the Kafka connectors\npassword=${PASSWORD}\n`);
  writeFileSync(join(secretsDir, 'ca.pem'), certs.caPem);
  writeFileSync(join(secretsDir, 'client.pem'), certs.clientCertPem);
  writeFileSync(join(secretsDir, 'client.key'), certs.clientKeyPem);
  await createTopics(c.namesrvAddr, { rocketmq: ['sec-mid', 'sec-mid2', 'sec-bad'] }, admin);
  await createKafkaTopics(plain, ['sec-a', 'sec-b', 'sec-c', 'sec-d', 'sec-e'], 2);
  await Promise.all(['w1', 'w2'].map((w) => c.start(w)));
});

async function create(name: string, config: Record<string, string>) {
  const r = await cluster().call('w1', 'POST', '/connectors', { name, config });
  assert.equal(r.status, 201, JSON.stringify(r.json));
}

type Status = { tasks: { id: number; state: string; trace?: string }[] };
async function status(name: string): Promise<Status> {
  return (await cluster().call('w2', 'GET', `/connectors/${name}/status`)).json as Status;
}

test('both Kafka connectors move data over SASL/SCRAM and mTLS (and the sink over SASL/PLAIN), secrets from config providers', async () => {
  const { plain, sasl } = kafka();
  await create('sec-src', {
    'connector.class': 'KafkaSourceConnector',
    'kafka.topic': 'sec-a',
    'rocketmq.topic': 'sec-mid',
    'tasks.num': '2',
    ...scram(ref.password),
  });
  await create('sec-snk-mtls', {
    'connector.class': 'KafkaSinkConnector',
    'rocketmq.topic': 'sec-mid',
    'kafka.topic': 'sec-b',
    ...mtls(ref.cert, ref.key),
  });
  // The other way round: the source over mTLS, a sink over SCRAM.
  await create('sec-src-mtls', {
    'connector.class': 'KafkaSourceConnector',
    'kafka.topic': 'sec-a',
    'rocketmq.topic': 'sec-mid2',
    ...mtls(ref.cert, ref.key),
  });
  await create('sec-snk-scram', {
    'connector.class': 'KafkaSinkConnector',
    'rocketmq.topic': 'sec-mid2',
    'kafka.topic': 'sec-e',
    ...scram(ref.password),
  });
  await create('sec-snk-plain', {
    'connector.class': 'KafkaSinkConnector',
    'rocketmq.topic': 'sec-mid',
    'kafka.topic': 'sec-c',
    'kafka.bootstrap.server': sasl,
    'kafka.security.protocol': 'SASL_PLAINTEXT',
    'kafka.sasl.mechanism': 'PLAIN',
    'kafka.sasl.username': 'alice',
    'kafka.sasl.password': ref.password,
  });
  await writeKafka(
    plain,
    Array.from({ length: COUNT }, (_, i) => ({
      topic: 'sec-a',
      key: `k${i % 10}`,
      value: Buffer.from(`r${i}`),
    })),
  );
  const t0 = Date.now();
  for (const topic of ['sec-b', 'sec-c', 'sec-e'])
    await until(
      `${COUNT} records in ${topic}`,
      async () => new Set((await readKafka(plain, topic)).map((r) => r.value.toString())).size >= COUNT,
      90_000,
    );
  console.log(`records through in ${Date.now() - t0} ms`);
  for (const name of ['sec-src', 'sec-snk-mtls', 'sec-snk-plain', 'sec-src-mtls', 'sec-snk-scram'])
    assert.ok(
      (await status(name)).tasks.every((t) => t.state === 'RUNNING'),
      name,
    );
});

test('wrong credentials or certificates: the task fails once, saying why, and is not restarted', async () => {
  const { certs } = kafka();
  await create('sec-bad-password', {
    'connector.class': 'KafkaSourceConnector',
    'kafka.topic': 'sec-d',
    'rocketmq.topic': 'sec-bad',
    ...scram('not-the-password'),
  });
  await create('sec-no-cert', {
    'connector.class': 'KafkaSourceConnector',
    'kafka.topic': 'sec-d',
    'rocketmq.topic': 'sec-bad',
    'kafka.bootstrap.server': kafka().ssl,
    'kafka.security.protocol': 'SSL',
    'kafka.ssl.ca.pem': ref.ca,
  });
  // A certificate from a CA the broker does not trust, given inline.
  await create('sec-stranger', {
    'connector.class': 'KafkaSourceConnector',
    'kafka.topic': 'sec-d',
    'rocketmq.topic': 'sec-bad',
    ...mtls(certs.strangerCertPem, certs.strangerKeyPem),
  });
  const expected: [string, RegExp][] = [
    ['sec-bad-password', /refused the SASL credentials of user alice \(SCRAM-SHA-512\)/],
    ['sec-no-cert', /wants a client certificate/],
    ['sec-stranger', /does not trust this client’s certificate/],
  ];
  for (const [name, why] of expected) {
    const ms = await until(
      `${name} FAILED`,
      async () => (await status(name)).tasks[0]?.state === 'FAILED',
      60_000,
    );
    console.log(`${name} FAILED after ${ms} ms`);
    assert.match((await status(name)).tasks[0]!.trace!, why, name);
  }
  // Not a restart loop: later they are still FAILED, no restart scheduled (one would show at once).
  await new Promise((r) => setTimeout(r, 1500));
  for (const [name] of expected) {
    const s = (await cluster().call('w1', 'GET', `/connectors/${name}/status`)).json as {
      tasks: { state: string; restart?: unknown }[];
    };
    assert.equal(s.tasks[0]!.state, 'FAILED', name);
    assert.equal(s.tasks[0]!.restart, undefined, `${name} is to restart: ${JSON.stringify(s.tasks[0])}`);
  }
});

test('a secret given as a reference is in no state topic, no response and no log line', async () => {
  const { certs } = kafka();
  const secrets: Secrets = {
    password: PASSWORD,
    // A line from the middle of the key: any part of it showing is a leak.
    'client key': certs.clientKeyPem.split('\n')[5]!,
  };
  const seen = await checkNoSecretAnywhere(cluster(), secrets, {
    connectors: [
      'sec-src',
      'sec-snk-mtls',
      'sec-snk-plain',
      'sec-src-mtls',
      'sec-snk-scram',
      'sec-bad-password',
    ],
    plugin: 'KafkaSourceConnector',
    // Validation resolves the references too: a resolved value quoted in an error must not show.
    validate: {
      ...scram(ref.password),
      'kafka.topic': 'sec-a',
      'rocketmq.topic': 'sec-mid',
      'kafka.request.timeout.ms': ref.password,
    },
    credentials: admin,
    // Given in clear to sec-bad-password: masked in every answer, never logged.
    clear: { 'clear password': 'not-the-password' },
  });
  console.log('looked for the secrets in', seen);
});

test('standalone: the task gets the secret; connectors.json, the API, traces and logs keep the reference', async () => {
  await checkStandaloneReferences(cluster().namesrvAddr, cluster().dir, admin);
});

test('RocketMQ accounts without the rights: the error names the account, the resource and the missing right', async () => {
  const c = cluster();
  const { limited } = DEFAULT_ACL;
  // A cluster worker cannot join: it may not even heartbeat in the cluster group.
  await assert.rejects(
    startWorkerProcess({
      dir: c.dir,
      namesrvAddr: c.namesrvAddr,
      workerId: 'w-limited',
      settings: { aclEnable: 'true', accessKey: limited.accessKey, secretKey: limited.secretKey },
    }),
    (err: Error) => {
      assert.match(err.message, /exited with 1/);
      assert.match(err.message, /RocketMQ refused this worker's account \(accessKey limited\)/);
      assert.match(err.message, /Group:connector-cluster-group.*needs the Sub right/);
      return true;
    },
  );
  // A standalone worker with the same account runs what its rights allow, and fails clearly the rest.
  const { config } = parseWorkerConfig(
    [
      'workerId=standalone-limited',
      `storePathRootDir=${join(c.dir, 'limited-store')}`,
      `namesrvAddr=${c.namesrvAddr}`,
      'aclEnable=true',
      `accessKey=${limited.accessKey}`,
      `secretKey=${limited.secretKey}`,
    ].join('\n'),
  );
  const worker = new StandaloneWorker(config, new PluginRegistry([kafkaConnectors]), silentLogger);
  await worker.start();
  try {
    const source = (topic: string) => ({
      'connector.class': 'KafkaSourceConnector',
      'kafka.topic': 'sec-a',
      'rocketmq.topic': topic,
      'kafka.bootstrap.server': kafka().plain,
    });
    await worker.addConnector('limited-ok', source(limited.topic));
    await worker.addConnector('limited-refused', source('sec-bad'));
    const refused = () => worker.getConnector('limited-refused').tasks[0]?.status;
    await until('the refused source to fail', () => refused()?.state === 'FAILED', 60_000);
    assert.match(
      refused()!.trace!,
      /User:limited has no permission to access Topic:sec-bad.*needs the Pub right/,
    );
    await until(
      `${COUNT} records in ${limited.topic}`,
      async () => (await readRocketMQ(c.namesrvAddr, limited.topic, admin)).length >= COUNT,
      60_000,
    );
  } finally {
    await worker.stop();
  }
});
