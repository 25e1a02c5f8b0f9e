import type { ConfigIssue, ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import { Admin, type ClientOptions } from '@sluice/rocketmq';
import type { WorkerConfig } from '../config/worker-config.ts';
import { validateConfig } from '../connector/validate-config.ts';
import { SluiceError } from '../errors.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';

// What the standalone and the cluster worker do alike.

/** The RocketMQ client settings of a worker (credentials only with aclEnable). */
export function clientOptions(c: WorkerConfig): ClientOptions {
  return {
    namesrvAddr: c.namesrvAddr,
    ...(c.aclEnable && c.accessKey && c.secretKey
      ? { credentials: { accessKey: c.accessKey, secretKey: c.secretKey } }
      : {}),
  };
}

/** The seed's autoCreateGroupEnable: a sink's group is created with an admin call. */
export async function createGroup(client: ClientOptions, group: string): Promise<void> {
  const admin = new Admin(client);
  try {
    await admin.createSubscriptionGroup({ groupName: group });
  } finally {
    admin.close();
  }
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

export function listPlugins(
  registry: PluginRegistry,
): { className: string; type: 'source' | 'sink'; version: string; plugin: string }[] {
  return registry.classes.map((c) => ({
    className: c.name,
    type: c.kind,
    version: c.version,
    plugin: c.plugin,
  }));
}

export function validateAgainst(
  registry: PluginRegistry,
  className: string,
  config: ConnectorConfig,
): { spec: ConfigSpec; issues: ConfigIssue[] } {
  const spec = registry.get(className).create().configSpec;
  return { spec, issues: validateConfig(spec, config).issues };
}

/** source, sink, or unknown when no installed plugin takes the config. */
export function kindOf(registry: PluginRegistry, config: ConnectorConfig): 'source' | 'sink' | 'unknown' {
  try {
    return registry.resolve(config).kind;
  } catch {
    return 'unknown';
  }
}
