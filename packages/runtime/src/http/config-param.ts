import type { ConnectorConfig } from '@sluice/connect-api';
import { SluiceError } from '../errors.ts';

/**
 * The seed's `?config={json}`: URL-encoded or sent raw as a browser or plain curl does; the query
 * parser has decoded it either way. Values must be strings, as in the seed's examples.
 */
export function parseConfigParam(raw: unknown): ConnectorConfig {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new SluiceError('BAD_REQUEST', 'missing the config parameter: ?config={"key":"value",…}');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new SluiceError('BAD_REQUEST', `config is not valid JSON: ${(err as Error).message}`);
  }
  return configObject(parsed);
}

/** A config object: a JSON object of string values. */
export function configObject(parsed: unknown): ConnectorConfig {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SluiceError('BAD_REQUEST', 'config must be a JSON object of string values');
  }
  const bad = Object.entries(parsed).filter(([, v]) => typeof v !== 'string');
  if (bad.length > 0) {
    throw new SluiceError(
      'BAD_REQUEST',
      `config values must be strings (as in {"tasks.num":"4"}); not strings: ${bad.map(([k]) => k).join(', ')}`,
    );
  }
  return parsed as ConnectorConfig;
}
