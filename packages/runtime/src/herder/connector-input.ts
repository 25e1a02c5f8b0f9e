import type { ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import { RUNTIME_KEYS } from '../connector/validate-config.ts';
import { SluiceError } from '../errors.ts';
import type { TargetState } from '../state/stored-connector.ts';

/**
 * Keys that name the connector instead of configuring it: Kafka Connect's `name` (tools such as
 * Terraform's provider send it inside the config) and `connectorName`, which the seed's
 * /getConnectors shows, so that its output can be sent back. They must match the connector's
 * name; they are not stored (the API shows `name` again on every read).
 */
const NAME_KEYS = ['name', 'connectorName'] as const;

export function withoutNameKeys(name: string, config: ConnectorConfig): ConnectorConfig {
  const out: Record<string, string> = { ...config };
  for (const key of NAME_KEYS) {
    const given = out[key];
    if (given === undefined) continue;
    if (given !== '' && given !== name)
      throw new SluiceError(
        'BAD_REQUEST',
        `the config's ${key} "${given.slice(0, 200)}" does not match the connector's name "${name}"`,
      );
    delete out[key];
  }
  return out;
}

/** A config as the resource API shows it: with its `name`, as Kafka Connect stores it. */
export function withName(name: string, config: ConnectorConfig): ConnectorConfig {
  return { ...config, name };
}

/**
 * Changes to a stored config, made whole: a key given under one of a field's names replaces the
 * value stored under its other names (`tasks.max` replaces `tasks.num`), else both would stay
 * and conflict.
 */
export function changesOver(
  spec: ConfigSpec,
  stored: ConnectorConfig,
  changes: ConnectorConfig,
): ConnectorConfig {
  const out: Record<string, string> = { ...changes };
  for (const field of [...RUNTIME_KEYS, ...spec.fields]) {
    const names = [field.name, ...(field.aliases ?? [])];
    if (!names.some((n) => changes[n] !== undefined)) continue;
    for (const n of names) if (stored[n] !== undefined && changes[n] === undefined) out[n] = '';
  }
  return out;
}

/** Kafka Connect's `initial_state` of a create: RUNNING (the default), PAUSED or STOPPED. */
export function initialTarget(state: unknown): TargetState {
  if (state === undefined || state === 'RUNNING') return 'STARTED';
  if (state === 'PAUSED' || state === 'STOPPED') return state;
  throw new SluiceError(
    'BAD_REQUEST',
    `initial_state must be RUNNING, PAUSED or STOPPED (got ${JSON.stringify(state).slice(0, 60)})`,
  );
}
