import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigSpec, Connector, ConnectorConfig, Plugin } from '@sluice/connect-api';
import { SluiceError } from '../errors.ts';

export interface ConnectorClass {
  /** The name configs use in `connector.class`. */
  name: string;
  plugin: string;
  version: string;
  kind: 'source' | 'sink';
  create: () => Connector;
  /** The connector's config spec, read once when the plugin loaded. */
  spec: ConfigSpec;
  /** Other names it answers to (the plugin's aliases for it). */
  aliases: readonly string[];
  /** From the connector's spec: keys that identify its configs when no class is named. */
  identifyingKeys: readonly string[];
}

export interface PluginLoadFailure {
  path: string;
  error: string;
}

export class PluginError extends SluiceError {
  override name = 'PluginError';
}

/**
 * The connector classes this worker can run: built-in plugins plus those found in `pluginPaths`.
 * Each plugin is an npm package directory; Node resolves a plugin's imports from its own
 * `node_modules`, so plugins do not see each other's dependencies. A plugin that fails to load is
 * reported and skipped; `load` again picks up new and changed plugins.
 */
export class PluginRegistry {
  readonly #builtins: readonly Plugin[];
  #classes = new Map<string, ConnectorClass>();
  #failures: PluginLoadFailure[] = [];

  readonly #hints: ReadonlyMap<string, string>;

  /** `hints`: for classes left out on purpose (by short name), why — said when one is asked for. */
  constructor(builtins: readonly Plugin[] = [], hints: Readonly<Record<string, string>> = {}) {
    this.#builtins = builtins;
    this.#hints = new Map(Object.entries(hints).map(([k, v]) => [simpleName(k), v]));
    this.#classes = this.#index(builtins.map((p) => ({ plugin: p })));
  }

  get classes(): ConnectorClass[] {
    return [...this.#classes.values()];
  }

  get failures(): readonly PluginLoadFailure[] {
    return this.#failures;
  }

  /** (Re)scans the plugin paths. Replaces the set of loaded plugins only when the scan finished. */
  async load(pluginPaths: readonly string[]): Promise<{ loaded: string[]; failures: PluginLoadFailure[] }> {
    const found: { plugin: Plugin }[] = this.#builtins.map((p) => ({ plugin: p }));
    const failures: PluginLoadFailure[] = [];
    for (const root of pluginPaths) {
      for (const dir of await pluginDirs(resolve(root), failures)) {
        try {
          found.push({ plugin: await importPlugin(dir) });
        } catch (err) {
          failures.push({ path: dir, error: (err as Error).message });
        }
      }
    }
    this.#classes = this.#index(found, failures);
    this.#failures = failures;
    return { loaded: found.map((f) => f.plugin.name), failures };
  }

  /** By name, alias or short name (see Plugin.aliases), in any case; undefined if none. */
  find(name: string): ConnectorClass | undefined {
    const wanted = shortName(name);
    return (
      this.#classes.get(name) ??
      [...this.#classes.values()].find((k) => [k.name, ...k.aliases].some((n) => shortName(n) === wanted))
    );
  }

  get(name: string): ConnectorClass {
    const c = this.find(name);
    if (!c) {
      const hint = this.#hints.get(simpleName(name));
      throw new PluginError(
        'UNKNOWN_PLUGIN',
        `unknown connector class "${name}"${hint ? ` (${hint})` : ''}; installed: ${[...this.#classes.keys()].join(', ') || 'none'}`,
      );
    }
    return c;
  }

  /**
   * The class a config names (`connector.class` or `connector-class`), or the one installed class
   * whose identifying keys the config all has. None or several is an error naming the candidates.
   */
  resolve(config: ConnectorConfig): ConnectorClass {
    const named = config['connector.class'] ?? config['connector-class'];
    if (named) return this.get(named);
    const matches = this.classes.filter(
      (c) => c.identifyingKeys.length > 0 && c.identifyingKeys.every((k) => k in config),
    );
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) {
      throw new PluginError(
        'UNKNOWN_PLUGIN',
        `no installed plugin matches these keys (and the config names no connector.class); installed: ${this.classes.map((c) => `${c.name} (keys ${c.identifyingKeys.join(', ')})`).join('; ')}`,
      );
    }
    throw new PluginError(
      'AMBIGUOUS_PLUGIN',
      `the config names no connector.class and fits several connectors: ${matches.map((c) => c.name).join(', ')}; set connector.class`,
    );
  }

  #index(found: { plugin: Plugin }[], failures: PluginLoadFailure[] = []): Map<string, ConnectorClass> {
    const classes = new Map<string, ConnectorClass>();
    for (const { plugin } of found) {
      for (const [name, create] of Object.entries(plugin.connectors)) {
        if (classes.has(name)) {
          failures.push({
            path: plugin.name,
            error: `connector class ${name} is already provided by ${classes.get(name)!.plugin}`,
          });
          continue;
        }
        let probe: Connector;
        try {
          probe = create();
        } catch (err) {
          failures.push({
            path: plugin.name,
            error: `connector ${name} cannot be created: ${(err as Error).message}`,
          });
          continue;
        }
        classes.set(name, {
          name,
          plugin: plugin.name,
          version: plugin.version,
          kind: probe.kind,
          create,
          spec: probe.configSpec,
          aliases: plugin.aliases?.[name] ?? [],
          identifyingKeys: probe.configSpec.identifyingKeys ?? [],
        });
      }
    }
    return classes;
  }
}

/** Kafka Connect's alias rule: a class's simple name, with or without "Connector", in any case. */
function shortName(name: string): string {
  return name.toLowerCase().replace(/connector$/, '');
}

/** A Java class name's last part, as shortName: `org.apache.…FileStreamSinkConnector` → `filestreamsink`. */
function simpleName(name: string): string {
  return shortName(name.slice(name.lastIndexOf('.') + 1));
}

/** A path is a plugin (it has a package.json) or a folder of plugins. */
async function pluginDirs(root: string, failures: PluginLoadFailure[]): Promise<string[]> {
  try {
    if ((await stat(join(root, 'package.json')).catch(() => undefined))?.isFile()) return [root];
    const entries = await readdir(root, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(root, e.name));
  } catch (err) {
    failures.push({ path: root, error: `cannot read plugin path: ${(err as Error).message}` });
    return [];
  }
}

async function importPlugin(dir: string): Promise<Plugin> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    name?: string;
    main?: string;
    sluice?: { plugin?: string };
  };
  const entry = pkg.sluice?.plugin ?? pkg.main ?? 'index.js';
  const file = join(dir, entry);
  // The query makes a changed plugin load anew on reload (ESM caches modules by URL).
  const url = `${pathToFileURL(file).href}?mtime=${(await stat(file)).mtimeMs}`;
  const mod = (await import(url)) as { default?: Plugin; plugin?: Plugin };
  const plugin = mod.default ?? mod.plugin;
  if (!plugin || typeof plugin !== 'object' || typeof plugin.connectors !== 'object') {
    throw new PluginError(
      'BAD_REQUEST',
      `${file} does not export a plugin (default export with name, version and connectors)`,
    );
  }
  return {
    name: plugin.name ?? pkg.name ?? dir,
    version: plugin.version ?? '0.0.0',
    connectors: plugin.connectors,
    ...(plugin.aliases ? { aliases: plugin.aliases } : {}),
  };
}
