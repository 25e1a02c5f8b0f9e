import type { ConnectorConfig } from '@sluice/connect-api';
import { SluiceError } from '../errors.ts';

/**
 * The seed's `?config={json}`: URL-encoded or sent raw as a browser or plain curl does; the query
 * parser has decoded it either way. Values as in a JSON body (numbers and booleans welcome).
 */
export function parseConfigParam(raw: unknown, mode: ConfigMode = 'whole'): ConnectorConfig {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new SluiceError('BAD_REQUEST', 'missing the config parameter: ?config={"key":"value",…}');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new SluiceError('BAD_REQUEST', `config is not valid JSON: ${(err as Error).message}`);
  }
  return configObject(parsed, mode);
}

/**
 * `whole`: a config as created or replaced; `changes`: the keys a PATCH or update changes, where
 * null removes a key (it takes its default again).
 */
export type ConfigMode = 'whole' | 'changes';

/**
 * A config object from JSON. Config values are strings, but tools send numbers and booleans
 * (Strimzi's `"tasks.max": 1`); as Kafka Connect does, they are taken as their text. A null
 * removes the key in `changes` and counts as left out otherwise. Objects and arrays are refused.
 */
export function configObject(parsed: unknown, mode: ConfigMode = 'whole'): ConnectorConfig {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SluiceError('BAD_REQUEST', 'config must be a JSON object of string values');
  }
  const config: Record<string, string> = {};
  const bad: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') config[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) config[key] = String(value);
    else if (typeof value === 'boolean') config[key] = String(value);
    // The herder's "changes" take an empty value as "back to the default", which is what a
    // removed key means.
    else if (value === null) {
      if (mode === 'changes') config[key] = '';
    } else bad.push(key);
  }
  if (bad.length > 0) {
    throw new SluiceError(
      'BAD_REQUEST',
      `config values must be strings, numbers or booleans (as in {"tasks.max":"4"}); not so: ${bad.join(', ')}`,
    );
  }
  return config;
}
