import type { ConfigIssue, Connector, ConnectorConfig } from '@sluice/connect-api';
import type { ConfigProviders } from '../config/config-providers.ts';
import { withoutSecrets } from '../config/config-references.ts';
import { type ValidatedConfig, validateConfig } from '../connector/validate-config.ts';
import { SluiceError } from '../errors.ts';
import type { ConnectorClass } from '../plugins/plugin-registry.ts';
import { withTimeout } from '../task/timeout.ts';

export class ConnectorConfigError extends SluiceError {
  override name = 'ConnectorConfigError';
  constructor(name: string, issues: readonly ConfigIssue[]) {
    super(
      'INVALID_CONFIG',
      `connector ${name}: invalid config: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
      { issues },
    );
  }
}

/**
 * The one check of a connector config, used by create, update, task count, the validate route
 * and the start of every connector: the class's spec first (every issue at once), then, when the
 * spec holds, the connector's own `validate`, bounded by the call timeout like any connector code.
 * Returns the canonical config (aliases resolved, defaults filled in) with the issues found.
 */
export async function checkConfig(
  cls: ConnectorClass,
  raw: ConnectorConfig,
  callTimeoutMs: number,
  opts: {
    /** The instance that will run the config, if one is made anyway: no second one for the check. */
    instance?: Connector;
    /** Resolve `${provider:…}` references first: the config returned is then resolved. */
    providers?: ConfigProviders;
  } = {},
): Promise<CheckedConfig> {
  const resolved = opts.providers?.resolve(raw) ?? { config: raw, issues: [], secrets: new Map() };
  const { secrets } = resolved;
  const checked = validateConfig(cls.spec, resolved.config);
  // An unresolved reference is checked as written: its own issue says why, not a type error.
  if (resolved.issues.length > 0) return { config: checked.config, issues: resolved.issues, secrets };
  const instance = opts.instance ?? cls.create();
  const issues =
    checked.issues.length > 0 || !instance.validate
      ? checked.issues
      : await withTimeout(`${cls.name} validate`, callTimeoutMs, () => instance.validate!(checked.config));
  // A message may quote the value it refused, and a resolved value is a secret.
  const scrubbed = issues.map((i) => ({ ...i, message: withoutSecrets(i.message, secrets) }));
  return { config: checked.config, issues: scrubbed, secrets };
}

/** A checked config, with what its references resolved to (see keepReferences). */
export interface CheckedConfig extends ValidatedConfig {
  secrets: Map<string, string>;
}

// Letters, digits, '_', '.' and '-', starting with a letter or digit: no path tricks ('..', '/').
const NAME = /^[A-Za-z0-9](?!.*\.\.)[A-Za-z0-9_.-]{0,127}$/;

export function checkConnectorName(name: string): void {
  if (!NAME.test(name))
    throw new SluiceError(
      'BAD_REQUEST',
      `connector name ${JSON.stringify(name.slice(0, 200))}: 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit, no '..'`,
    );
}
