import type { ConnectorConfig } from '@sluice/connect-api';
import type { ConnectorInfo, WorkerApi } from '../worker/worker-api.ts';

export const MASK = '********';

// Names that hold secrets even when a plugin's spec forgets to type them as passwords.
const SECRET_NAME = /(password|secret|token|credentials?|jaas\.config)$/i;

/**
 * Masks secret config values in what routes return: keys the connector's spec types as
 * `password`, and keys whose names say they hold one. Applied to every route that shows a config.
 */
export function secretMasker(
  api: WorkerApi,
): (c: ConnectorInfo, config?: ConnectorConfig) => ConnectorConfig {
  const specSecrets = (c: ConnectorInfo): Set<string> => {
    try {
      const cls = api
        .plugins()
        .find((p) => p.className === (c.config['connector.class'] ?? c.config['connector-class']));
      const spec = cls ? api.validate(cls.className, {}).spec : undefined;
      return new Set(spec?.fields.filter((f) => f.type === 'password').map((f) => f.name) ?? []);
    } catch {
      return new Set();
    }
  };
  return (c, config = c.config) => {
    const secret = specSecrets(c);
    return Object.fromEntries(
      Object.entries(config).map(([k, v]) => [k, secret.has(k) || SECRET_NAME.test(k) ? MASK : v]),
    );
  };
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
