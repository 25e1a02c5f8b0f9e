import type { ConfigIssue, ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import { SluiceError } from '../errors.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { checkConfig } from './check-config.ts';
import type { PluginInfo } from './herder-api.ts';

/** The herder's view of the installed plugins: what they are, and checking a config for one. */
export class HerderPlugins {
  readonly #registry: PluginRegistry;
  readonly #callTimeoutMs: number;

  constructor(registry: PluginRegistry, callTimeoutMs: number) {
    this.#registry = registry;
    this.#callTimeoutMs = callTimeoutMs;
  }

  plugins(): PluginInfo[] {
    return this.#registry.classes.map((c) => ({
      className: c.name,
      type: c.kind,
      version: c.version,
      plugin: c.plugin,
    }));
  }

  /** Checks a config as create would (spec and the connector's validate), creating nothing. */
  async validate(
    className: string,
    config: ConnectorConfig,
  ): Promise<{ spec: ConfigSpec; issues: ConfigIssue[]; className: string }> {
    const cls = this.#registry.get(className);
    const { issues } = await checkConfig(cls, config, this.#callTimeoutMs);
    return { spec: cls.spec, issues, className: cls.name };
  }

  pluginSpec(className: string): ConfigSpec {
    const cls = this.#registry.find(className);
    if (!cls) throw new SluiceError('NOT_FOUND', `no connector plugin ${className.slice(0, 200)}`);
    return cls.spec;
  }

  sameClass(a: string, b: string): boolean {
    const found = this.#registry.find(a);
    return found !== undefined && found === this.#registry.find(b);
  }
}
