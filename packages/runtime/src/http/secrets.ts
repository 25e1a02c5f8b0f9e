import type { ConnectorConfig } from '@sluice/connect-api';
import { onlyReferences } from '../config/config-references.ts';
import type { ConnectorReads } from '../herder/herder-api.ts';

export const MASK = '********';

// Names that hold secrets even when a plugin's spec forgets to type them as passwords.
const SECRET_NAME = /(password|secret|token|credentials?|jaas\.config)$/i;

/** Whether a key holds a secret: typed `password` by its spec, or named like one. */
export function isSecretKey(key: string, type?: string): boolean {
  return type === 'password' || SECRET_NAME.test(key);
}

/**
 * `message` with every secret value in it replaced by the mask: a plugin's error may quote the
 * value it refused. Values under 4 characters are left (masking every "1" would garble it).
 */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const v of secrets) if (v.length >= 4) out = out.split(v).join(MASK);
  return out;
}

/** A secret's value as shown: a reference to a config provider is shown as written. */
export function masked(value: string): string {
  return onlyReferences(value) ? value : MASK;
}

/**
 * Masks secret config values in what routes return: keys the connector's plugin (resolved as a
 * create would resolve it: named in any case, or inferred from the keys) types as `password`, and
 * keys whose names say they hold one. `config` defaults to the connector's own; pass a task's.
 */
export function maskSecrets(
  api: Pick<ConnectorReads, 'secretKeys'>,
  connectorConfig: ConnectorConfig,
  config: ConnectorConfig = connectorConfig,
): ConnectorConfig {
  const secret = api.secretKeys(connectorConfig);
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, secret.has(k) || isSecretKey(k) ? masked(v) : v]),
  );
}

/**
 * A config sent back as read (masked) keeps the stored secrets: a value equal to the mask means
 * "unchanged", so GET-then-PUT round trips do not overwrite a password with asterisks.
 */
export function unmask(stored: ConnectorConfig, incoming: ConnectorConfig): ConnectorConfig {
  return Object.fromEntries(
    Object.entries(incoming).map(([k, v]) => [k, v === MASK && stored[k] !== undefined ? stored[k] : v]),
  );
}
