import type { ConfigIssue, Connector, ConnectorConfig } from '@sluice/connect-api';
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
  /** The instance that will run the config, if one is made anyway: no second one for the check. */
  instance: Connector = cls.create(),
): Promise<ValidatedConfig> {
  const checked = validateConfig(cls.spec, raw);
  if (checked.issues.length > 0 || !instance.validate) return checked;
  const issues = await withTimeout(`${cls.name} validate`, callTimeoutMs, () =>
    instance.validate!(checked.config),
  );
  return { config: checked.config, issues };
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
