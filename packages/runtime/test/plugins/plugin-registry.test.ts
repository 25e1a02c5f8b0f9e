import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fileConnectors from '@sluice/connector-file';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';

let root: string;

// A plugin whose connector reports which version of its private dependency `dep` it sees.
async function writePlugin(name: string, depVersion: string, extra = ''): Promise<void> {
  const dir = join(root, name);
  await mkdir(join(dir, 'node_modules', 'dep'), { recursive: true });
  await writeFile(
    join(dir, 'node_modules', 'dep', 'package.json'),
    JSON.stringify({ name: 'dep', version: depVersion, main: 'index.js', type: 'module' }),
  );
  await writeFile(
    join(dir, 'node_modules', 'dep', 'index.js'),
    `export const version = ${JSON.stringify(depVersion)};`,
  );
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name, type: 'module', sluice: { plugin: 'plugin.js' } }),
  );
  await writeFile(
    join(dir, 'plugin.js'),
    `import { version } from 'dep';
     ${extra}
     const make = () => ({ kind: 'source', configSpec: { fields: [], identifyingKeys: ['${name}.key'] }, depVersion: version, codeVersion: '${extra ? 'changed' : 'original'}',
       start() {}, taskConfigs: () => [], stop() {}, createTask() {} });
     export default { name: '${name}', version: '1.0.0', connectors: { '${name}Source': make } };`,
  );
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'sluice-plugins-'));
  await writePlugin('alpha', '1.0.0');
  await writePlugin('beta', '2.0.0');
  await mkdir(join(root, 'broken'));
  await writeFile(
    join(root, 'broken', 'package.json'),
    JSON.stringify({ name: 'broken', type: 'module', main: 'index.js' }),
  );
  await writeFile(join(root, 'broken', 'index.js'), `throw new Error('plugin exploded at load');`);
});
after(() => rm(root, { recursive: true, force: true }));

test('plugins load side by side, each with its own dependencies; a broken one is reported', async () => {
  const registry = new PluginRegistry([fileConnectors]);
  const { failures } = await registry.load([root]);
  assert.deepEqual(registry.classes.map((c) => c.name).sort(), [
    'FileStreamSink',
    'FileStreamSource',
    'alphaSource',
    'betaSource',
  ]);
  assert.equal(failures.length, 1);
  assert.match(failures[0]!.error, /plugin exploded at load/);
  const alpha = registry.get('alphaSource').create() as unknown as { depVersion: string };
  const beta = registry.get('betaSource').create() as unknown as { depVersion: string };
  assert.equal(alpha.depVersion, '1.0.0');
  assert.equal(beta.depVersion, '2.0.0');
});

test('the class is named, or inferred from identifying keys; ambiguity and unknowns are clear errors', async () => {
  const registry = new PluginRegistry([fileConnectors]);
  await registry.load([root]);
  assert.equal(registry.resolve({ 'connector.class': 'FileStreamSink' }).name, 'FileStreamSink');
  assert.equal(registry.resolve({ 'connector-class': 'filestreamsource' }).name, 'FileStreamSource');
  assert.equal(registry.resolve({ 'alpha.key': 'x' }).name, 'alphaSource');
  assert.equal(registry.resolve({ file: 'x', topics: 't' }).name, 'FileStreamSink');
  assert.throws(
    () => registry.resolve({ 'alpha.key': 'x', 'beta.key': 'y' }),
    /fits several connectors: alphaSource, betaSource/,
  );
  assert.throws(() => registry.resolve({ nothing: 'x' }), /no installed plugin matches these keys/);
  assert.throws(() => registry.resolve({ 'connector.class': 'Nope' }), /unknown connector class "Nope"/);
});

test('reload picks up a new plugin and a changed one without a restart', async () => {
  const registry = new PluginRegistry();
  await registry.load([root]);
  await writePlugin('gamma', '3.0.0');
  await new Promise((r) => setTimeout(r, 20));
  await writePlugin('alpha', '1.0.0', '// changed');
  await registry.load([root]);
  assert.ok(registry.classes.some((c) => c.name === 'gammaSource'));
  // The plugin's own code is loaded anew; its already-loaded dependencies are not (ESM caches
  // them by URL): a plugin with new dependencies goes into a new directory.
  assert.equal(
    (registry.get('alphaSource').create() as unknown as { codeVersion: string }).codeVersion,
    'changed',
  );
});

test('a class answers to its name, its short name, its aliases (Java class names), in any case', async () => {
  const kafka = (await import('@sluice/connector-kafka')).default;
  const registry = new PluginRegistry([fileConnectors, kafka]);
  for (const name of [
    'FileStreamSource',
    'FileStreamSourceConnector',
    'filestreamsource',
    'org.apache.kafka.connect.file.FileStreamSourceConnector',
  ])
    assert.equal(registry.get(name).name, 'FileStreamSource', name);
  for (const name of [
    'KafkaSourceConnector',
    'KafkaSource',
    'org.apache.rocketmq.connect.kafka.connector.KafkaSourceConnector',
  ])
    assert.equal(registry.get(name).name, 'KafkaSourceConnector', name);
  assert.equal(
    registry.resolve({ 'connector.class': 'org.apache.rocketmq.connect.kafka.connector.KafkaSinkConnector' })
      .name,
    'KafkaSinkConnector',
  );
  assert.throws(() => registry.get('org.example.FileStreamSource'), /unknown connector class/);
});

test('a class left out on purpose says why when asked for, under any of its names', () => {
  const registry = new PluginRegistry([], {
    FileStreamSink: 'the file connectors are not installed: set fileConnectorDirs',
  });
  for (const name of [
    'FileStreamSink',
    'filestreamsinkconnector',
    'org.apache.kafka.connect.file.FileStreamSinkConnector',
  ])
    assert.throws(
      () => registry.get(name),
      /unknown connector class .*\(the file connectors are not installed: set fileConnectorDirs\)/,
    );
  assert.throws(
    () => registry.get('Nope'),
    (e: Error) => !e.message.includes('fileConnectorDirs'),
  );
});
