import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigProviders } from '../../src/config/config-providers.ts';
import {
  keepReferences,
  onlyReferences,
  referencesIn,
  withoutSecrets,
} from '../../src/config/config-references.ts';
import { parseWorkerConfig, WorkerConfigError } from '../../src/config/worker-config.ts';
import { secretFreeLogger } from '../../src/logging/secret-free-logger.ts';

const dir = mkdtempSync(join(tmpdir(), 'providers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const secrets = join(dir, 'secrets');
mkdirSync(secrets);
writeFileSync(join(secrets, 'kafka.properties'), 'password=s3cr3t-#1 \nuser=alice\n');
writeFileSync(join(secrets, 'token'), 'tok-en\n');
const outside = join(dir, 'outside.properties');
writeFileSync(outside, 'password=elsewhere\n');
symlinkSync(outside, join(secrets, 'link.properties'));

test('references are found as Kafka Connect finds them', () => {
  assert.deepEqual(referencesIn('${env:HOME}'), [
    { text: '${env:HOME}', provider: 'env', path: '', key: 'HOME' },
  ]);
  assert.deepEqual(referencesIn('a${file:/p/x.properties:k}b${directory:/d:f}'), [
    { text: '${file:/p/x.properties:k}', provider: 'file', path: '/p/x.properties', key: 'k' },
    { text: '${directory:/d:f}', provider: 'directory', path: '/d', key: 'f' },
  ]);
  assert.deepEqual(referencesIn('plain ${not a reference} $HOME'), []);
  assert.equal(onlyReferences('${env:A}${env:B}'), true);
  assert.equal(onlyReferences('x${env:A}'), false);
  assert.equal(onlyReferences(''), false);
});

test('env, file and directory resolve; the file is read with Java semantics', () => {
  const p = new ConfigProviders(['env', 'file', 'directory'], { env: { PASS: 'from-env' } });
  const {
    config,
    issues,
    secrets: found,
  } = p.resolve({
    a: '${env:PASS}',
    b: `\${file:${secrets}/kafka.properties:password}`,
    c: `user=\${file:${secrets}/kafka.properties:user};token=\${directory:${secrets}:token}`,
    d: 'no reference',
  });
  assert.deepEqual(issues, []);
  assert.deepEqual(config, {
    a: 'from-env',
    b: 's3cr3t-#1 ',
    c: 'user=alice;token=tok-en\n',
    d: 'no reference',
  });
  assert.equal(found.get('from-env'), '${env:PASS}');
  assert.equal(found.get('s3cr3t-#1 '), `\${file:${secrets}/kafka.properties:password}`);
});

test('what cannot be resolved is an issue of its key, never quoting a value', () => {
  const p = new ConfigProviders(['env', 'file', 'directory'], { env: {}, allowedPaths: [secrets] });
  const { issues } = p.resolve({
    a: '${env:MISSING}',
    b: `\${file:${secrets}/kafka.properties:nokey}`,
    c: `\${file:${secrets}/link.properties:password}`,
    d: `\${directory:${secrets}:../outside.properties}`,
    e: `\${file:${dir}/none.properties:x}`,
  });
  assert.deepEqual(
    issues.map((i) => i.field),
    ['a', 'b', 'c', 'd', 'e'],
  );
  assert.match(issues[0]!.message, /MISSING is not set/);
  assert.match(issues[1]!.message, /has no key nokey/);
  assert.match(issues[2]!.message, /outside configProviderAllowedPaths/);
  assert.match(issues[3]!.message, /names a file in the directory/);
  assert.match(issues[4]!.message, /does not exist/);
  for (const i of issues) assert.doesNotMatch(i.message, /elsewhere|s3cr3t/);
});

test('a provider that is off: its references are an issue; unknown providers are left as written', () => {
  const p = new ConfigProviders([], { env: { A: 'x' } });
  const { config, issues } = p.resolve({ a: '${env:A}', b: '${vault:secret/kv:pw}' });
  assert.equal(config.b, '${vault:secret/kv:pw}');
  assert.deepEqual(issues, [
    {
      field: 'a',
      message: '${env:A}: the env config provider is not enabled on this worker (configProviders)',
    },
  ]);
});

test('task configs keep the references: by key, by value, and cut out of other text', () => {
  const raw = { 'kafka.sasl.password': '${env:P}', topic: 't' };
  const secretsOf = new Map([['hunter22', '${env:P}']]);
  const task = {
    'kafka.sasl.password': 'hunter22',
    copy: 'hunter22',
    'jaas.line': 'pw="hunter22"',
    topic: 't',
  };
  assert.deepEqual(keepReferences(raw, secretsOf, task), {
    'kafka.sasl.password': '${env:P}',
    copy: '${env:P}',
    'jaas.line': 'pw="${env:P}"',
    topic: 't',
  });
  assert.equal(withoutSecrets('auth failed for hunter22', secretsOf), 'auth failed for ${env:P}');
});

test('a connector logger with secrets cuts them out of messages and fields', () => {
  const lines: unknown[] = [];
  const base = {
    debug: () => {},
    info: (m: string, f?: Record<string, unknown>) => lines.push([m, f]),
    warn: () => {},
    error: (m: string, f?: Record<string, unknown>) => lines.push([m, f]),
  };
  const log = secretFreeLogger(base, new Map([['hunter22', '${env:P}']]));
  log.info('config hunter22', { config: { pw: 'hunter22' }, list: ['a hunter22'] });
  log.error('failed', { error: new Error('bad hunter22') });
  assert.doesNotMatch(JSON.stringify(lines), /hunter22/);
  assert.equal(secretFreeLogger(base, new Map()), base);
});

test('worker keys: configProviders (or Kafka’s config.providers) and the allowed paths', () => {
  const base = 'workerId=w\nstorePathRootDir=/tmp/x\nnamesrvAddr=127.0.0.1:9876\n';
  const { config } = parseWorkerConfig(
    `${base}config.providers=env,file\nconfigProviderAllowedPaths=secrets`,
    {
      file: '/etc/sluice/connect.conf',
    },
  );
  assert.deepEqual(config.configProviders, ['env', 'file']);
  assert.deepEqual(config.configProviderAllowedPaths, ['/etc/sluice/secrets']);
  assert.throws(() => parseWorkerConfig(`${base}configProviders=vault`), WorkerConfigError);
  assert.deepEqual(parseWorkerConfig(base).config.configProviders, []);
});
