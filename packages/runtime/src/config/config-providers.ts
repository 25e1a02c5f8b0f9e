import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { ConfigIssue, ConnectorConfig } from '@sluice/connect-api';
import { type ConfigReference, referencesIn, substitute } from './config-references.ts';
import { parseProperties } from './properties.ts';

/** The providers Sluice has, named as in Kafka Connect's `config.providers`. */
export const CONFIG_PROVIDERS = ['env', 'file', 'directory'] as const;
export type ConfigProviderName = (typeof CONFIG_PROVIDERS)[number];

/** A config with its references resolved: for connector code only, never stored or logged. */
export interface ResolvedConfig {
  config: ConnectorConfig;
  /** A reference that could not be resolved, per key; the message never holds a secret. */
  issues: ConfigIssue[];
  /** Each resolved value → the reference it came from, to cut secrets out of what is shown. */
  secrets: Map<string, string>;
}

/**
 * The config providers a worker enables (`configProviders`): `${env:VAR}` reads an environment
 * variable, `${file:/path:key}` a key of a properties file, `${directory:/dir:name}` the whole of
 * file `name` in `/dir` (Kubernetes-mounted secrets). Values are read each time a config is
 * resolved (validate, connector and task start), so a changed secret is used from the next start.
 * References to providers not enabled are left as written, as Kafka Connect leaves them, except
 * that naming one of Sluice's own providers while it is off is an issue.
 */
export class ConfigProviders {
  readonly #enabled: ReadonlySet<string>;
  readonly #allowed: readonly string[];
  readonly #env: NodeJS.ProcessEnv;

  constructor(
    enabled: readonly string[],
    opts: { allowedPaths?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.#enabled = new Set(enabled);
    this.#allowed = (opts.allowedPaths ?? []).map((p) => resolve(p));
    this.#env = opts.env ?? process.env;
  }

  get enabled(): readonly string[] {
    return [...this.#enabled];
  }

  resolve(config: ConnectorConfig): ResolvedConfig {
    const issues: ConfigIssue[] = [];
    const secrets = new Map<string, string>();
    const files = new Map<string, Map<string, string>>();
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(config)) {
      if (!value.includes('${')) {
        out[field] = value;
        continue;
      }
      const resolved = substitute(value, (ref) => {
        if (!this.#enabled.has(ref.provider)) {
          if ((CONFIG_PROVIDERS as readonly string[]).includes(ref.provider))
            issues.push({
              field,
              message: `${ref.text}: the ${ref.provider} config provider is not enabled on this worker (configProviders)`,
            });
          return undefined;
        }
        try {
          const v = this.#read(ref, files);
          secrets.set(v, ref.text);
          return v;
        } catch (err) {
          issues.push({ field, message: `${ref.text}: ${(err as Error).message}` });
          return undefined;
        }
      });
      if (resolved !== value) secrets.set(resolved, value);
      out[field] = resolved;
    }
    return { config: out, issues, secrets };
  }

  #read(ref: ConfigReference, files: Map<string, Map<string, string>>): string {
    if (ref.provider === 'env') {
      if (ref.path !== '') throw new Error('an env reference has no path: ${env:VARIABLE}');
      const v = this.#env[ref.key];
      if (v === undefined) throw new Error(`environment variable ${ref.key} is not set on this worker`);
      return v;
    }
    if (ref.path === '')
      throw new Error(`a ${ref.provider} reference needs a path: \${${ref.provider}:/path:key}`);
    const path = this.#allowedPath(ref.path);
    if (ref.provider === 'file') {
      let keys = files.get(path);
      if (!keys) {
        keys = readProperties(path);
        files.set(path, keys);
      }
      const v = keys.get(ref.key);
      if (v === undefined) throw new Error(`${ref.path} has no key ${ref.key}`);
      return v;
    }
    // directory: a plain file directly in the directory, never a path out of it.
    if (
      ref.key === '' ||
      ref.key.includes('/') ||
      ref.key.includes('\\') ||
      ref.key === '..' ||
      ref.key === '.'
    )
      throw new Error('a directory reference names a file in the directory: ${directory:/dir:file}');
    const file = join(path, ref.key);
    if (!statSync(file).isFile()) throw new Error(`${file} is not a file`);
    return readFileSync(file, 'utf8');
  }

  /** The real path of `path`, if it lies in an allowed path (any, when none is configured). */
  #allowedPath(path: string): string {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new Error(`${path} does not exist or cannot be read`);
    }
    if (this.#allowed.length === 0) return real;
    const inside = this.#allowed.some((dir) => {
      const base = safeRealpath(dir);
      return real === base || real.startsWith(base.endsWith(sep) ? base : base + sep);
    });
    if (!inside) throw new Error(`${path} is outside configProviderAllowedPaths`);
    return real;
  }
}

function readProperties(path: string): Map<string, string> {
  const text = readFileSync(path, 'utf8');
  try {
    return new Map(parseProperties(text, { java: true }).map((e) => [e.key, e.value]));
  } catch {
    // The parser's message may quote the line, and the line may be a secret.
    throw new Error(`${path} is not a valid properties file`);
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The providers a worker's config enables. */
export function workerConfigProviders(config: {
  configProviders: readonly string[];
  configProviderAllowedPaths: readonly string[];
}): ConfigProviders {
  return new ConfigProviders(config.configProviders, { allowedPaths: config.configProviderAllowedPaths });
}

/** Whether any value of `config` holds a reference (to any provider). */
export function hasReferences(config: ConnectorConfig): boolean {
  return Object.values(config).some((v) => referencesIn(v).length > 0);
}
