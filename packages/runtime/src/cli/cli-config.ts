import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseProperties } from '../config/properties.ts';
import type { OutputFormat } from './http-client.ts';
import { UsageError } from './usage-error.ts';

/** What the client config file may say: the worker to talk to, its token, the output format. */
export interface CliSettings {
  url?: string;
  token?: string;
  output?: OutputFormat;
}

export const OUTPUTS: readonly OutputFormat[] = ['table', 'json', 'yaml'];
const KEYS = ['url', 'token', 'output'] as const;

/** `SLUICE_CONFIG`, else `$XDG_CONFIG_HOME/sluice/config`, else `~/.config/sluice/config`. */
export function cliConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLUICE_CONFIG) return env.SLUICE_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'sluice', 'config');
}

/**
 * The client config file (Java properties: `url=…`, `token=…`, `output=…`). A missing file is
 * no settings; a file with an unknown key or output is refused, naming the file.
 */
export async function readCliConfig(path: string): Promise<CliSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const settings: CliSettings = {};
  for (const { key, value } of parseProperties(text)) {
    if (!(KEYS as readonly string[]).includes(key))
      throw new UsageError(`${path}: unknown key ${key} (it may hold ${KEYS.join(', ')})`);
    if (key === 'output' && !OUTPUTS.includes(value as OutputFormat))
      throw new UsageError(`${path}: output must be ${OUTPUTS.join(', ')} (got ${value})`);
    (settings as Record<string, string>)[key] = value;
  }
  return settings;
}
