import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseProperties } from '../config/properties.ts';

export interface ConnectorDefinition {
  name: string;
  config: Record<string, string>;
}

/**
 * A connector file (`sluice standalone`, `apply`, `validate`, `connectors create`): `.properties`,
 * or JSON or YAML, either flat (`{"name": …, "connector.class": …}`) or Kafka Connect's
 * `{"name": …, "config": {…}}`. Without a
 * `name` key the file's base name is the connector's name.
 */
export async function readConnectorFile(file: string): Promise<ConnectorDefinition> {
  const text = await readFile(file, 'utf8');
  let raw: Record<string, unknown>;
  const ext = extname(file);
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    try {
      raw = (ext === '.json' ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${file}: not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new Error(`${file}: must hold one object: {name, config} or the config's keys`);
    if (raw.config && typeof raw.config === 'object')
      raw = { name: raw.name, ...(raw.config as Record<string, unknown>) };
  } else {
    raw = Object.fromEntries(parseProperties(text).map((e) => [e.key, e.value]));
  }
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'name' || v === undefined) continue;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new Error(`${file}: "${k}" must be a string`);
    }
    config[k] = String(v);
  }
  const name = typeof raw.name === 'string' && raw.name ? raw.name : basename(file, extname(file));
  return { name, config };
}
