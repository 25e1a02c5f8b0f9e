import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_SOURCE_SPEC } from '@sluice/connector-file';
import { validateConfig } from '../../src/connector/validate-config.ts';
import { configDefinitions, configInfos } from '../../src/http/config-infos.ts';

test("validate answers in Kafka Connect's ConfigInfos shape; errors sit with the key as the config named it", () => {
  const config = { 'connector.class': 'FileStreamSource', 'tasks.max': 'x', topic: 't', typo: '1' };
  const { issues } = validateConfig(FILE_SOURCE_SPEC, config);
  const infos = configInfos('FileStreamSource', FILE_SOURCE_SPEC, config, issues);
  assert.equal(infos.error_count, issues.length);
  assert.ok(infos.groups.includes('Common'));
  assert.ok(infos.groups.includes('Unknown keys'));
  const byName = new Map(infos.configs.map((c) => [c.value.name, c]));
  const tasks = byName.get('tasks.max')!;
  assert.equal(tasks.definition.type, 'INT');
  assert.equal(tasks.definition.importance, 'HIGH');
  assert.match(tasks.value.errors[0]!, /whole number/);
  assert.match(byName.get('file')!.value.errors[0]!, /required/);
  assert.equal(byName.get('file')!.definition.group, null);
  assert.equal(byName.get('file')!.definition.order, -1);
  assert.deepEqual(byName.get('typo')!.value.errors, ['unknown key']);
  assert.deepEqual(byName.get('errors.tolerance')!.value.recommended_values, ['none', 'all']);
  assert.equal(byName.get('errors.tolerance')!.definition.group, 'Error Handling');
});

test("a plugin's config keys: its own, as Kafka Connect lists them", () => {
  const defs = configDefinitions(FILE_SOURCE_SPEC);
  assert.deepEqual(
    defs.map((d) => d.name),
    FILE_SOURCE_SPEC.fields.map((f) => f.name),
  );
  assert.deepEqual(Object.keys(defs[0]!).sort(), [
    'default_value',
    'dependents',
    'display_name',
    'documentation',
    'group',
    'importance',
    'name',
    'order',
    'required',
    'type',
    'width',
  ]);
});

test('validate masks secrets wherever they could show: typed passwords, secret-looking unknown keys, errors quoting them', () => {
  const spec = {
    fields: [
      { name: 'sasl.password', type: 'password' as const, doc: 'a password' },
      { name: 'batch', type: 'int' as const, doc: 'a number' },
    ],
  };
  const config = { 'sasl.password': 'hunter22', 'my.api.token': 'tok-123456', batch: 'x' };
  const issues = [
    // A plugin's message that quotes a secret, under another key.
    { field: 'batch', message: 'cannot log in as admin with "hunter22"' },
    { field: 'my.api.token', message: 'unknown key "my.api.token" = tok-123456' },
  ];
  const infos = configInfos('X', spec, config, issues);
  const text = JSON.stringify(infos);
  assert.ok(!text.includes('hunter22') && !text.includes('tok-123456'), text);
  const byName = new Map(infos.configs.map((c) => [c.value.name, c.value]));
  assert.equal(byName.get('sasl.password')!.value, '********');
  assert.equal(byName.get('my.api.token')!.value, '********');
  assert.equal(byName.get('batch')!.errors[0], 'cannot log in as admin with "********"');
});
