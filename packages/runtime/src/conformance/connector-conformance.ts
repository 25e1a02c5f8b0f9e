import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connector, ConnectorConfig, ConnectorContext, Plugin } from '@sluice/connect-api';
import { validateConfig } from '../connector/validate-config.ts';

export interface ConformanceCase {
  /** The plugin under test and one of its connector classes. */
  plugin: Plugin;
  className: string;
  /** A config that is valid (it may name systems that are not there: nothing is contacted). */
  valid: ConnectorConfig;
  /** Configs that must be refused, each with a field the refusal has to name. */
  invalid: { config: ConnectorConfig; field: string }[];
}

const TYPES = new Set(['string', 'int', 'boolean', 'list', 'password']);

const context = (name: string): ConnectorContext => ({
  name,
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  requestTaskReconfiguration() {},
  raiseError() {},
});

async function within<T>(what: string, ms: number, fn: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(fn),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The contract every connector keeps, as node:test tests: a spec that drives validation and
 * docs, refusals that name the field, a lifecycle that needs no outside system to plan its
 * tasks, deterministic task configs (every worker of a cluster computes them), fresh instances,
 * and stops that are safe to repeat. Call it from a connector's test file.
 */
export function connectorConformance(c: ConformanceCase): void {
  const label = `${c.plugin.name} ${c.className}`;
  const create = (): Connector => {
    const factory = c.plugin.connectors[c.className];
    assert.ok(factory, `${c.plugin.name} has a connector named ${c.className}`);
    return factory();
  };

  test(`conformance ${label}: plugin and config spec`, () => checkSpec(c, create));
  test(`conformance ${label}: valid config accepted, bad ones refused naming the field`, () =>
    checkRefusals(c, create));
  test(`conformance ${label}: lifecycle without outside systems; task configs deterministic`, () =>
    checkLifecycle(c, create));
  test(`conformance ${label}: tasks are fresh objects and stop safely before start`, () =>
    checkTasks(create));
}

function checkSpec(c: ConformanceCase, create: () => Connector): void {
  assert.match(c.plugin.name, /\S/);
  assert.match(c.plugin.version, /^\d+\.\d+\.\d+/);
  const a = create();
  assert.notEqual(a, create(), 'each call of the factory gives a fresh instance');
  assert.ok(a.kind === 'source' || a.kind === 'sink');
  const names = new Set<string>();
  for (const f of a.configSpec.fields) {
    assert.ok(TYPES.has(f.type), `${f.name}: type ${f.type}`);
    assert.ok(f.doc.trim().length > 0, `${f.name} is documented`);
    for (const n of [f.name, ...(f.aliases ?? [])]) {
      assert.ok(!names.has(n), `${n} is declared once`);
      names.add(n);
    }
    if (f.default !== undefined && f.oneOf)
      assert.ok(f.oneOf.includes(f.default), `${f.name}: default in oneOf`);
    if (f.default !== undefined) {
      const issues = validateConfig({ fields: [f] }, { [f.name]: f.default }).issues;
      assert.deepEqual(issues, [], `${f.name}: its default is valid`);
    }
  }
  for (const k of a.configSpec.identifyingKeys ?? [])
    assert.ok(names.has(k), `identifying key ${k} is a field`);
}

async function checkRefusals(c: ConformanceCase, create: () => Connector): Promise<void> {
  const a = create();
  const { issues, config } = validateConfig(a.configSpec, c.valid);
  assert.deepEqual(issues, [], 'the valid sample passes the spec');
  assert.deepEqual(await within('validate', 1000, () => a.validate?.(config) ?? []), []);
  for (const bad of c.invalid) {
    const checked = validateConfig(a.configSpec, bad.config);
    const all = [
      ...checked.issues,
      ...(checked.issues.length === 0 ? ((await a.validate?.(checked.config)) ?? []) : []),
    ];
    assert.ok(
      all.some((i) => i.field === bad.field),
      `${JSON.stringify(bad.config)} is refused naming ${bad.field}: ${JSON.stringify(all)}`,
    );
  }
  assert.ok(
    validateConfig(a.configSpec, { ...c.valid, 'no.such.key': 'x' }).issues.length > 0,
    'unknown keys are refused',
  );
}

async function checkLifecycle(c: ConformanceCase, create: () => Connector): Promise<void> {
  const { config } = validateConfig(create().configSpec, c.valid);
  const plan = async () => {
    const a = create();
    await within('start', 2000, () => a.start(config, context('conformance')));
    const byCount: ConnectorConfig[][] = [];
    for (let n = 1; n <= 4; n++) byCount.push(await within('taskConfigs', 2000, () => a.taskConfigs(n)));
    await within('stop', 2000, () => a.stop());
    await within('a second stop', 2000, () => a.stop());
    return byCount;
  };
  const first = await plan();
  for (const [i, configs] of first.entries()) {
    assert.ok(
      configs.length >= 1 && configs.length <= i + 1,
      `taskConfigs(${i + 1}) gives 1..${i + 1} configs`,
    );
    for (const tc of configs) for (const v of Object.values(tc)) assert.equal(typeof v, 'string');
  }
  assert.deepEqual(await plan(), first, 'another instance plans the same tasks (every worker computes them)');
  const a = create();
  if (a.kind === 'sink' && a.topics) assert.ok(a.topics(config).length > 0, 'a sink names its topics');
}

async function checkTasks(create: () => Connector): Promise<void> {
  const a = create();
  const t1 = a.createTask();
  assert.notEqual(t1, a.createTask());
  if (a.kind === 'source') assert.equal(typeof (t1 as { poll?: unknown }).poll, 'function');
  else assert.equal(typeof (t1 as { put?: unknown }).put, 'function');
  await within('task stop before start', 2000, () => t1.stop());
}
