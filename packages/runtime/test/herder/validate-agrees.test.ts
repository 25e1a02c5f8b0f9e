import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fileConnectors from '@sluice/connector-file';
import kafkaConnectors from '@sluice/connector-kafka';
import { Herder } from '../../src/herder/herder.ts';
import { buildServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';
import { MemoryBackend } from './memory-backend.ts';

// The validate route and create run one check: for every shipped connector, a config that
// create refuses is refused by validate with the same messages (the routes, not the herder, are
// compared: the answer people and tools see). No broker is involved in checking a config.

const backend = new MemoryBackend();
const herder = new Herder(backend, {
  registry: new PluginRegistry([fileConnectors, kafkaConnectors]),
  logger: silentLogger,
  callTimeoutMs: 1000,
  pluginPaths: [],
});
const app = buildServer(herder);
after(() => app.close());

const kafka = { 'kafka.bootstrap.server': '127.0.0.1:9092' };
const refused: [string, Record<string, string>][] = [
  ['FileStreamSource', { topic: 't' }],
  ['FileStreamSource', { file: '/tmp/in', topic: 't', 'batch.size': '0', oops: 'x' }],
  ['FileStreamSink', { file: '/tmp/out' }],
  ['FileStreamSink', { file: '/tmp/out', topics: 't', 'tasks.num': '0' }],
  // The connectors' own checks: topic pairs, given both ways or half.
  ['KafkaSourceConnector', { ...kafka, 'kafka.topics': 'a', 'kafka.topic': 'a', 'rocketmq.topic': 'b' }],
  ['KafkaSourceConnector', { ...kafka, 'kafka.topic': 'a' }],
  ['KafkaSinkConnector', { ...kafka, topicNames: 'a', 'rocketmq.topic': 'a' }],
  ['KafkaSinkConnector', { ...kafka, 'kafka.topic': 'b' }],
  ['KafkaSinkConnector', { ...kafka, topicNames: 'a', 'kafka.security.protocol': 'SASL_PLAINTEXT' }],
];

type Validate = {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
};

test('create and validate refuse the same configs with the same messages, for every shipped connector', async () => {
  for (const [cls, config] of refused) {
    const full = { 'connector.class': cls, ...config };
    const created = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'c', config: full },
    });
    assert.equal(created.statusCode, 400, `${cls} ${JSON.stringify(config)}: ${created.body}`);
    const message = (created.json() as { message: string }).message;
    const fromCreate = message.replace(/^connector c: invalid config: /, '');

    const validated = await app.inject({
      method: 'PUT',
      url: `/connector-plugins/${cls}/config/validate`,
      payload: full,
    });
    assert.equal(validated.statusCode, 200);
    const v = validated.json() as Validate;
    // Keys the connector does not know are in configs too (group "Unknown keys").
    const fromValidate = v.configs.flatMap((c) => c.value.errors.map((e) => `${c.value.name} ${e}`)).sort();
    assert.equal(v.error_count, fromValidate.length);
    // Same issues: each of validate's is in create's message, and together they are all of it.
    const what = `${cls} ${JSON.stringify(config)}: create said "${fromCreate}", validate ${JSON.stringify(fromValidate)}`;
    assert.ok(fromValidate.length > 0, what);
    for (const issue of fromValidate) assert.ok(fromCreate.includes(issue), what);
    assert.equal(fromValidate.join('; ').length, fromCreate.length, what);
  }
  assert.deepEqual(backend.submitted, [], 'nothing was created');
});

test('a config validate passes, create takes', async () => {
  for (const [cls, config] of [
    ['FileStreamSource', { file: '/tmp/in', topic: 't' }],
    ['KafkaSourceConnector', { ...kafka, 'kafka.topics': 'a' }],
    ['KafkaSinkConnector', { ...kafka, topicNames: 'a' }],
  ] as const) {
    const full = { 'connector.class': cls, ...config };
    const v = await app.inject({
      method: 'PUT',
      url: `/connector-plugins/${cls}/config/validate`,
      payload: full,
    });
    assert.equal((v.json() as Validate).error_count, 0, v.body);
    const created = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: cls, config: full },
    });
    assert.equal(created.statusCode, 201, created.body);
  }
});
