import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseProperties } from '../config/properties.ts';

export interface ConnectorDefinition {
  name: string;
  config: Record<string, string>;
}

/**
 * A connector given to `sluice standalone`: a `.properties` file or a JSON file, either flat
 * (`{"name": …, "connector.class": …}`) or Kafka Connect's `{"name": …, "config": {…}}`. Without a
 * `name` key the file's base name is the connector's name.
 */
export async function readConnectorFile(file: string): Promise<ConnectorDefinition> {
  const text = await readFile(file, 'utf8');
  let raw: Record<string, unknown>;
  if (extname(file) === '.json') {
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
    }
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
