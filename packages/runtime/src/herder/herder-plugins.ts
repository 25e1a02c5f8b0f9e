import type { ConfigIssue, ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import type { ConfigProviders } from '../config/config-providers.ts';
import { SluiceError } from '../errors.ts';
import type { ConnectorClass, PluginRegistry } from '../plugins/plugin-registry.ts';
import { checkConfig } from './check-config.ts';
import type { PluginInfo } from './herder-api.ts';

/** The herder's view of the installed plugins: what they are, and checking a config for one. */
export class HerderPlugins {
  readonly #registry: PluginRegistry;
  readonly #callTimeoutMs: number;
  readonly #providers: ConfigProviders | undefined;

  constructor(registry: PluginRegistry, callTimeoutMs: number, providers?: ConfigProviders) {
    this.#registry = registry;
    this.#callTimeoutMs = callTimeoutMs;
    this.#providers = providers;
  }

  plugins(): PluginInfo[] {
    return this.#registry.classes.map((c) => ({
      className: c.name,
      type: c.kind,
      version: c.version,
      plugin: c.plugin,
    }));
  }

  /** What is wrong with a config of the class it names, as its start would find (references resolved). */
  async issuesOf(config: ConnectorConfig): Promise<ConfigIssue[]> {
    return (await this.#check(this.#registry.resolve(config), config)).issues;
  }

  #check(cls: ConnectorClass, config: ConnectorConfig) {
    const providers = this.#providers;
    return checkConfig(cls, config, this.#callTimeoutMs, providers ? { providers } : {});
  }

  /** Checks a config as create would (spec and the connector's validate), creating nothing. */
  async validate(
    className: string,
    config: ConnectorConfig,
  ): Promise<{ spec: ConfigSpec; issues: ConfigIssue[]; className: string }> {
    const cls = this.#registry.get(className);
    const { issues } = await this.#check(cls, config);
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
