import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connector, Plugin } from '@sluice/connect-api';
import fileConnectors from '@sluice/connector-file';
import { SluiceError } from '../../src/errors.ts';
import { Herder } from '../../src/herder/herder.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';
import { MemoryBackend } from './memory-backend.ts';

/** A source whose own validate refuses `mode=bad` and can hang. */
const picky: Plugin = {
  name: 'picky',
  version: '1.0.0',
  connectors: {
    PickySource: (): Connector => ({
      kind: 'source',
      configSpec: {
        fields: [
          { name: 'mode', type: 'string', doc: 'how', default: 'good' },
          { name: 'db.password', type: 'password', doc: 'secret', aliases: ['db.pass'] },
        ],
        identifyingKeys: ['mode'],
      },
      validate: (c) =>
        c.mode === 'hang'
          ? new Promise(() => {})
          : c.mode === 'bad'
            ? [{ field: 'mode', message: 'must not be bad' }]
            : [],
      start() {},
      taskConfigs: (n) => Array.from({ length: n }, () => ({})),
      stop() {},
      createTask: () => ({ start() {}, poll: async () => [], stop() {} }),
    }),
  },
};

function herder() {
  const backend = new MemoryBackend();
  const h = new Herder(backend, {
    registry: new PluginRegistry([fileConnectors, picky]),
    logger: silentLogger,
    callTimeoutMs: 200,
    pluginPaths: [],
  });
  return { h, backend };
}

const file = { 'connector.class': 'FileStreamSource', file: '/tmp/x', topic: 't' };
const code = (c: string) => (err: unknown) => err instanceof SluiceError && err.code === c;

test('create checks the name, the spec and the connector’s own validate; refused ones submit nothing', async () => {
  const { h, backend } = herder();
  await assert.rejects(h.createConnector('bad/name', file), code('BAD_REQUEST'));
  await assert.rejects(h.createConnector('a', { ...file, 'batch.size': '0', oops: '1' }), (err: unknown) => {
    assert.ok(err instanceof SluiceError && err.code === 'INVALID_CONFIG');
    assert.deepEqual(
      err.issues.map((i) => i.field),
      ['oops', 'batch.size'],
    );
    return true;
  });
  await assert.rejects(h.createConnector('a', { mode: 'bad' }), /mode must not be bad/);
  await assert.rejects(h.createConnector('a', { mode: 'hang' }), /validate did not return within 200 ms/);
  await assert.rejects(h.createConnector('a', { nothing: 'x' }), code('UNKNOWN_PLUGIN'));
  assert.deepEqual(backend.submitted, []);
  const info = await h.createConnector('a', file);
  assert.equal(info.target, 'STARTED');
  assert.equal(info.enabled, true);
  await assert.rejects(h.createConnector('a', file), code('CONFLICT'));
  assert.equal(backend.submitted.length, 1);
});

test('update checks the merged config; task counts are bounded and go through update', async () => {
  const { h, backend } = herder();
  await h.createConnector('a', file);
  await assert.rejects(h.updateConnector('a', { 'batch.size': 'x' }), code('INVALID_CONFIG'));
  await assert.rejects(h.updateConnector('nope', { topic: 'u' }), code('NOT_FOUND'));
  await h.updateConnector('a', { topic: 'u' });
  assert.equal(h.getConnector('a').config.topic, 'u');
  for (const bad of [0, 1025, 1.5, Number.NaN])
    await assert.rejects(h.setTaskCount('a', bad), code('BAD_REQUEST'));
  assert.deepEqual(await h.setTaskCount('a', 3), { before: 1, after: 3 });
  assert.equal(h.getConnector('a').tasks.length, 3);
  assert.deepEqual(
    backend.submitted.map((o) => o.type),
    ['create', 'update', 'update'],
  );
});

test('target states: pause, resume, stop, enable; a stopped connector is not paused nor restarted', async () => {
  const { h } = herder();
  await h.createConnector('a', file);
  await h.pauseConnector('a');
  assert.equal(h.getConnector('a').target, 'PAUSED');
  assert.equal(h.getConnector('a').enabled, true, 'the seed calls a paused connector enabled');
  await assert.rejects(h.enableConnector('a'), /enabled already/);
  await h.resumeConnector('a');
  assert.equal(h.getConnector('a').target, 'STARTED');
  await h.disableConnector('a');
  assert.equal(h.getConnector('a').target, 'STOPPED');
  assert.equal(h.connectorState('a'), 'disabled');
  assert.deepEqual(h.getConnector('a').tasks, []);
  await assert.rejects(h.disableConnector('a'), /disabled already/);
  await h.pauseConnector('a');
  assert.equal(h.getConnector('a').target, 'STOPPED', 'pausing a stopped connector leaves it stopped');
  await assert.rejects(h.restartConnector('a', {}), code('CONFLICT'));
  await assert.rejects(h.restartTask('a', 0), code('CONFLICT'));
  await h.enableConnector('a');
  assert.equal(h.connectorState('a'), 'enabled');
  await h.disableConnector('a');
  await h.resumeConnector('a');
  assert.equal(h.getConnector('a').target, 'STARTED', 'resume starts a stopped connector');
  await h.removeConnector('a');
  assert.equal(h.connectorState('a'), 'removed');
  assert.equal(h.connectorState('never'), 'unknown');
  await assert.rejects(h.pauseConnector('a'), code('NOT_FOUND'));
});

test('restarts follow Kafka Connect’s semantics; a missing task is a 404', async () => {
  const { h, backend } = herder();
  await h.createConnector('a', { ...file, 'tasks.num': '1' });
  await h.setTaskCount('a', 3);
  backend.health.set('a', { states: ['RUNNING', 'FAILED', 'RUNNING'] });
  await h.restartConnector('a', {});
  await h.restartConnector('a', { includeTasks: true });
  await h.restartConnector('a', { includeTasks: true, onlyFailed: true });
  await h.restartConnector('a', { onlyFailed: true });
  await h.restartTask('a', 2);
  await assert.rejects(h.restartTask('a', 7), code('NOT_FOUND'));
  assert.deepEqual(
    backend.restarts.map((r) => r.plan),
    [
      { instance: true, tasks: [] },
      { instance: true, tasks: [0, 1, 2] },
      { instance: false, tasks: [1] },
      // (onlyFailed alone with a healthy instance restarted nothing and sent nothing)
      { instance: false, tasks: [2] },
    ],
  );
});

test('offsets change only while stopped, and only for an installed plugin', async () => {
  const { h, backend } = herder();
  await h.createConnector('a', file);
  assert.deepEqual(await h.connectorOffsets('a'), []);
  await assert.rejects(h.alterConnectorOffsets('a', []), /is running: stop it first/);
  await assert.rejects(h.resetConnectorOffsets('a'), code('CONFLICT'));
  await h.disableConnector('a');
  await h.resetConnectorOffsets('a');
  assert.deepEqual(backend.offsetCalls, [
    { name: 'a', forChange: false },
    { name: 'a', forChange: true },
  ]);
  backend.state.set('gone', { config: { 'connector.class': 'Uninstalled' }, target: 'STOPPED' });
  await assert.rejects(h.connectorOffsets('gone'), /its plugin is not installed/);
  assert.equal(h.getConnector('gone').type, 'unknown');
});

test('secret keys come from the resolved plugin: class in any case, or inferred from the keys', () => {
  const { h } = herder();
  const configs: Record<string, string>[] = [
    { 'connector.class': 'pickysource' },
    { mode: 'good' },
    { 'connector-class': 'PickySource' },
  ];
  for (const config of configs)
    assert.deepEqual([...h.secretKeys(config)].sort(), ['db.pass', 'db.password'], JSON.stringify(config));
  assert.deepEqual([...h.secretKeys({ nothing: 'x' })], []);
});

test('validate runs the same check as create: spec issues, then the connector’s own', async () => {
  const { h } = herder();
  assert.deepEqual((await h.validate('PickySource', { mode: 'bad' })).issues, [
    { field: 'mode', message: 'must not be bad' },
  ]);
  assert.deepEqual((await h.validate('picky' + 'source', { mode: 'good' })).issues, []);
  await assert.rejects(h.validate('Nope', {}), code('UNKNOWN_PLUGIN'));
});

test('no lost updates: a change checked against an older revision is refused; PUT replaces whole', async () => {
  const { h, backend } = herder();
  await h.createConnector('a', { ...file, 'batch.size': '5' });
  // Two requests read the same revision; the first applied wins, the second is a 409.
  const first = backend.submit({ type: 'update', name: 'a', changes: { topic: 'one' }, expect: 0 });
  const second = backend.submit({ type: 'update', name: 'a', changes: { topic: 'two' }, expect: 0 });
  await first;
  await assert.rejects(second, /changed by another request meanwhile/);
  assert.equal(h.getConnector('a').config.topic, 'one');
  // Through the herder the revision is taken from what was checked.
  await h.updateConnector('a', { topic: 'three' });
  assert.equal(h.getConnector('a').config.topic, 'three');
  await h.replaceConnector('a', file);
  assert.equal(h.getConnector('a').config['batch.size'], undefined, 'a key left out of a PUT is gone');
  await assert.rejects(h.replaceConnector('a', { ...file, 'batch.size': 'x' }), code('INVALID_CONFIG'));
  assert.deepEqual(
    backend.submitted.map((o) => `${o.type}:${'expect' in o ? o.expect : '-'}`),
    ['create:-', 'update:0', 'update:1', 'replace:2'],
  );
});
