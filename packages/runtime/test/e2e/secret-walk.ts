import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cluster } from '../cluster/cluster-helper.ts';
import { readRocketMQ } from './kafka-rocketmq.ts';

// Looks for secrets everywhere a worker could leak them: every route its OpenAPI document lists
// (on every worker, for every connector), the validate and config-update answers, every log line,
// every message of the state topics, and every file under the workers' store directories.

/** What a secret is called in a failure → its clear value. */
export type Secrets = Record<string, string>;

function leaks(where: string, text: string, secrets: Secrets): void {
  for (const [name, value] of Object.entries(secrets))
    assert.ok(!text.includes(value), `the ${name} shows in ${where}: …${excerpt(text, value)}…`);
}

function excerpt(text: string, value: string): string {
  const at = text.indexOf(value);
  return text.slice(Math.max(0, at - 120), at).replace(/\s+/g, ' ');
}

/** Concrete paths of an OpenAPI path template, one per connector (or worker, task, plugin). */
function expand(path: string, values: { connectors: string[]; workers: string[]; plugin: string }): string[] {
  let out = [path];
  const fill = (param: string, choices: string[]) => {
    out = out.flatMap((p) =>
      p.includes(`{${param}}`) ? choices.map((c) => p.replace(`{${param}}`, c)) : [p],
    );
  };
  fill('name', values.connectors);
  fill('connectorName', values.connectors);
  fill('id', path.startsWith('/workers') ? values.workers : ['0']);
  fill('taskNum', ['1']);
  fill('plugin', [values.plugin]);
  fill('logger', ['root']);
  fill('file', ['app.js']);
  return out.filter((p) => !p.includes('{'));
}

export async function checkNoSecretAnywhere(
  c: Cluster,
  secrets: Secrets,
  opts: {
    connectors: string[];
    plugin: string;
    /** A config to validate, holding references that resolve to the secrets. */
    validate: Record<string, string>;
    credentials: { accessKey: string; secretKey: string };
    /** Secrets given in clear: stored as given, but in no response and no log line either. */
    clear?: Secrets;
    stateTopics?: string[];
  },
): Promise<{ responses: number; logLines: number; messages: number; files: number }> {
  const workers = [...c.workers.keys()];
  const shownNowhere = { ...secrets, ...opts.clear };
  let responses = 0;
  const call = async (w: string, method: string, path: string, body?: unknown) => {
    const r = await c.call(w, method, path, body);
    responses++;
    leaks(`${method} ${path} on ${w} (${r.status})`, JSON.stringify(r.json), shownNowhere);
    return r;
  };
  for (const w of workers) {
    const doc = (await c.call(w, 'GET', '/openapi.json')).json as {
      paths: Record<string, Record<string, unknown>>;
    };
    const gets = Object.entries(doc.paths).filter(([, ops]) => 'get' in ops);
    assert.ok(gets.length > 20, `the OpenAPI document lists the routes (${gets.length})`);
    const values = { connectors: opts.connectors, workers, plugin: opts.plugin };
    for (const path of ['/metrics', '/openapi.json', ...gets.flatMap(([p]) => expand(p, values))])
      await call(w, 'GET', path);
    await call(w, 'PUT', `/connector-plugins/${opts.plugin}/config/validate`, opts.validate);
    for (const name of opts.connectors) {
      // A config sent back as read (masked) keeps its secrets, and the answer shows none.
      const shown = (await call(w, 'GET', `/connectors/${name}/config`)).json as Record<string, string>;
      const put = await call(w, 'PUT', `/connectors/${name}/config`, shown);
      assert.equal(put.status, 200, JSON.stringify(put.json));
    }
  }
  let logLines = 0;
  for (const w of c.workers.values()) {
    const lines = w.log.join('').split('\n');
    logLines += lines.length;
    for (const [i, line] of lines.entries()) leaks(`log line ${i + 1} of ${w.workerId}`, line, shownNowhere);
  }
  let messages = 0;
  const topics = opts.stateTopics ?? [
    'connector-config-topic',
    'connector-cluster-topic',
    'connector-offset-topic',
    'connector-position-topic',
  ];
  for (const topic of topics) {
    const all = await readRocketMQ(c.namesrvAddr, topic, opts.credentials);
    messages += all.length;
    for (const m of all)
      leaks(`a message of ${topic}`, m.body.toString('utf8') + JSON.stringify(m.properties), secrets);
  }
  assert.ok(messages > 0, 'the state topics were read');
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        files++;
        leaks(`file ${p}`, await readFile(p, 'latin1'), secrets);
      }
    }
  };
  await walk(join(c.dir, 'store'));
  return { responses, logLines, messages, files };
}
