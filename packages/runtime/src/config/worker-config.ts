import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CONFIG_PROVIDERS } from './config-providers.ts';
import { PropertiesSyntaxError, parseProperties } from './properties.ts';
import {
  AUTH_EXEMPT,
  type Kind,
  LOG_LEVEL_NAMES,
  SEED_ROUTES,
  WORKER_KEYS,
  type WorkerConfig,
} from './worker-keys.ts';

export { LOG_LEVEL_NAMES, WORKER_KEYS, type WorkerConfig } from './worker-keys.ts';

export class WorkerConfigError extends Error {
  override name = 'WorkerConfigError';
}

export interface LoadedWorkerConfig {
  config: WorkerConfig;
  /** Unknown keys and other things worth a warning; the worker still starts. */
  warnings: string[];
}

/** `httpPort` ↔ `SLUICE_HTTP_PORT`. */
export function envName(key: string): string {
  return `SLUICE_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/**
 * Reads a worker config: the file, then environment variables (`SLUICE_HTTP_PORT=…`), then
 * explicit overrides (CLI flags), each later source winning. Errors name the file, the key and
 * the line; relative paths are resolved against the file's directory.
 */
export async function loadWorkerConfig(
  file: string,
  opts: { env?: NodeJS.ProcessEnv; overrides?: Record<string, string> } = {},
): Promise<LoadedWorkerConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new WorkerConfigError(`cannot read worker config ${file}: ${(err as Error).message}`);
  }
  return parseWorkerConfig(text, { ...opts, file });
}

// Other names a key is read under: Kafka Connect's config.providers, and httpToken, short for httpAuthToken.
const ALIASES: Record<string, keyof WorkerConfig> = {
  'config.providers': 'configProviders',
  httpToken: 'httpAuthToken',
};

export function parseWorkerConfig(
  text: string,
  opts: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Record<string, string> } = {},
): LoadedWorkerConfig {
  const file = opts.file ?? '<config>';
  const where = new Map<string, string>();
  const raw = new Map<string, string>();
  const warnings: string[] = [];
  let entries: ReturnType<typeof parseProperties>;
  try {
    entries = parseProperties(text);
  } catch (err) {
    if (err instanceof PropertiesSyntaxError) throw new WorkerConfigError(`${file}: ${err.message}`);
    throw err;
  }
  for (const entry of entries) {
    const e = { ...entry, key: ALIASES[entry.key] ?? entry.key };
    if (!(e.key in WORKER_KEYS)) {
      warnings.push(`${file}:${e.line}: unknown key "${e.key}" is ignored`);
      continue;
    }
    if (raw.has(e.key)) warnings.push(`${file}:${e.line}: "${e.key}" set again; the last value wins`);
    raw.set(e.key, e.value);
    where.set(e.key, `${file}:${e.line}`);
  }
  const env = opts.env ?? {};
  for (const key of Object.keys(WORKER_KEYS)) {
    const v = env[envName(key)];
    if (v !== undefined) {
      raw.set(key, v);
      where.set(key, `environment variable ${envName(key)}`);
    }
  }
  for (const [key, v] of Object.entries(opts.overrides ?? {})) {
    if (!(key in WORKER_KEYS))
      throw new WorkerConfigError(`unknown worker setting "${key}" given on the command line`);
    raw.set(key, v);
    where.set(key, `command-line option ${key}`);
  }

  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(WORKER_KEYS)) {
    const value = raw.get(key) ?? spec.default;
    const at = where.get(key) ?? `${file} (default)`;
    if (value === undefined || (spec.required && value.trim() === '')) {
      if (spec.required) throw new WorkerConfigError(`${file}: "${key}" is required (${spec.doc})`);
      out[key] = undefined;
      continue;
    }
    out[key] = convert(key, spec.kind, value.trim(), at);
  }
  const config = out as unknown as WorkerConfig;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(config.workerId)) {
    throw new WorkerConfigError(
      `${where.get('workerId')}: workerId must be 1-64 letters, digits, '_', '.' or '-'`,
    );
  }
  if (!['round-robin', 'consistent-hash'].includes(config.allocTaskStrategy)) {
    throw new WorkerConfigError(
      `${where.get('allocTaskStrategy') ?? file}: allocTaskStrategy must be round-robin or consistent-hash`,
    );
  }
  if (config.memberTimeoutMs < 2 * config.heartbeatIntervalMs) {
    throw new WorkerConfigError(`${file}: memberTimeoutMs must be at least twice heartbeatIntervalMs`);
  }
  config.logLevel = config.logLevel.toLowerCase();
  if (!LOG_LEVEL_NAMES.includes(config.logLevel))
    throw new WorkerConfigError(
      `${where.get('logLevel') ?? file}: logLevel must be one of ${LOG_LEVEL_NAMES.join(', ')} (got "${config.logLevel}")`,
    );
  if (!SEED_ROUTES.includes(config.seedRoutes))
    throw new WorkerConfigError(
      `${where.get('seedRoutes') ?? file}: seedRoutes must be one of ${SEED_ROUTES.join(', ')} (got "${config.seedRoutes}")`,
    );
  for (const origin of config.httpAllowedOrigins)
    if (!/^https?:\/\/[^/]+$/.test(origin))
      throw new WorkerConfigError(
        `${where.get('httpAllowedOrigins') ?? file}: httpAllowedOrigins takes origins such as https://ui.example.com:8443, not "${origin}"`,
      );
  for (const name of config.httpAuthExempt)
    if (!(AUTH_EXEMPT as readonly string[]).includes(name))
      throw new WorkerConfigError(
        `${where.get('httpAuthExempt') ?? file}: httpAuthExempt takes ${AUTH_EXEMPT.join(', ')} (got "${name}")`,
      );
  for (const name of config.configProviders)
    if (!(CONFIG_PROVIDERS as readonly string[]).includes(name))
      throw new WorkerConfigError(
        `${where.get('configProviders') ?? file}: configProviders takes ${CONFIG_PROVIDERS.join(', ')} (got "${name}")`,
      );
  if (Boolean(config.httpTlsCertFile) !== Boolean(config.httpTlsKeyFile)) {
    throw new WorkerConfigError(`${file}: httpTlsCertFile and httpTlsKeyFile go together`);
  }
  if (config.aclEnable && (!config.accessKey || !config.secretKey)) {
    throw new WorkerConfigError(`${file}: aclEnable=true needs accessKey and secretKey`);
  }
  if (opts.file) {
    const fromFile = (p: string) =>
      isAbsolute(p) || /^[A-Za-z]:[/\\]/.test(p) ? p : resolve(opts.file!, '..', p);
    config.storePathRootDir = fromFile(config.storePathRootDir);
    config.pluginPaths = config.pluginPaths.map(fromFile);
    config.fileConnectorDirs = config.fileConnectorDirs.map(fromFile);
    config.configProviderAllowedPaths = config.configProviderAllowedPaths.map(fromFile);
    if (config.httpTlsCertFile) config.httpTlsCertFile = fromFile(config.httpTlsCertFile);
    if (config.httpTlsKeyFile) config.httpTlsKeyFile = fromFile(config.httpTlsKeyFile);
  }
  return { config, warnings };
}

function convert(key: string, kind: Kind, value: string, at: string): unknown {
  const fail = (what: string) => new WorkerConfigError(`${at}: "${key}" ${what} (got "${value}")`);
  switch (kind) {
    case 'port': {
      if (!/^\d+$/.test(value) || Number(value) > 65535) throw fail('must be a port number, 0-65535');
      return Number(value);
    }
    case 'ms': {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 86_400_000)
        throw fail('must be milliseconds, 1-86400000');
      return Number(value);
    }
    case 'boolean': {
      if (!/^(true|false)$/i.test(value)) throw fail('must be true or false');
      return value.toLowerCase() === 'true';
    }
    case 'list':
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return value;
  }
}

/** The config as it may be shown (logs, HTTP): secrets masked. */
export function redactWorkerConfig(config: WorkerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const [key, spec] of Object.entries(WORKER_KEYS))
    if (spec.kind === 'secret' && out[key]) out[key] = '********';
  return out;
}

/** Loopback addresses: only this host reaches an API bound there. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|\[::1\])$/i;

/** The warning a worker logs at start when any host may drive its API without a token. */
export function openApiWarning(config: WorkerConfig): string | undefined {
  if (config.httpAuthToken || LOOPBACK.test(config.httpBindAddress)) return undefined;
  return `the HTTP API listens on ${config.httpBindAddress}, reachable from other hosts, and needs no token: anyone who reaches port ${config.httpPort} can create, change and delete connectors. Set httpAuthToken (docs/security.md)`;
}
