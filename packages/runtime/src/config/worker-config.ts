import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { PropertiesSyntaxError, parseProperties } from './properties.ts';

/** A worker's settings: the seed's `connect.conf` keys, plus Sluice's own with defaults. */
export interface WorkerConfig {
  workerId: string;
  storePathRootDir: string;
  httpPort: number;
  /** Sluice: the address the HTTP API binds (default 127.0.0.1; the seed bound every interface). */
  httpBindAddress: string;
  namesrvAddr: string;
  aclEnable: boolean;
  accessKey: string | undefined;
  secretKey: string | undefined;
  autoCreateGroupEnable: boolean;
  pluginPaths: string[];
  /** Sluice: when set, every HTTP route but /health needs `Authorization: Bearer <token>`. */
  httpAuthToken: string | undefined;
  /** Sluice: PEM certificate and key files; when both are set the API speaks HTTPS only. */
  httpTlsCertFile: string | undefined;
  httpTlsKeyFile: string | undefined;
  /** Sluice: ms between periodic position/offset commits (default 5000). */
  offsetCommitIntervalMs: number;
  /** Sluice: ms allowed to every call into connector code (default 30000). */
  connectorCallTimeoutMs: number;
  routeRefreshMs: number;
  /** Cluster: topic and group names (the seed's by default). */
  clusterTopic: string;
  configTopic: string;
  offsetTopic: string;
  positionTopic: string;
  consumerGroup: string;
  clusterGroup: string;
  /** Cluster: round-robin (the seed's) or consistent-hash. */
  allocTaskStrategy: string;
  /** Cluster: heartbeat period and the silence after which a worker counts as dead. */
  heartbeatIntervalMs: number;
  memberTimeoutMs: number;
  /** Cluster: the URL others reach this worker's HTTP API at (default http://httpBindAddress:httpPort). */
  advertisedUrl: string | undefined;
  /** Cluster: the broker the state topics are created on (default: the first master by name). */
  stateBroker: string | undefined;
  /** Who wrote it (connector, task, epoch, worker) on every message and record (default true). */
  ownerHeaders: boolean;
  /** trace, debug, info (default), warn, error, fatal or silent. */
  logLevel: string;
}

/** pino's level names, least to most severe; `silent` logs nothing. */
export const LOG_LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

type Kind = 'string' | 'port' | 'boolean' | 'list' | 'ms' | 'secret';

interface KeySpec {
  kind: Kind;
  required?: boolean;
  default?: string;
  doc: string;
}

export const WORKER_KEYS: Readonly<Record<keyof WorkerConfig, KeySpec>> = {
  workerId: {
    kind: 'string',
    required: true,
    doc: 'this worker’s name, unique in the cluster and stable across restarts',
  },
  storePathRootDir: {
    kind: 'string',
    required: true,
    doc: 'local directory for positions, offsets and config',
  },
  httpPort: { kind: 'port', default: '8082', doc: 'port of the HTTP API' },
  httpBindAddress: { kind: 'string', default: '127.0.0.1', doc: 'address the HTTP API listens on' },
  namesrvAddr: { kind: 'string', required: true, doc: 'RocketMQ name server(s), host:port[;host:port]' },
  aclEnable: { kind: 'boolean', default: 'false', doc: 'sign RocketMQ requests with accessKey / secretKey' },
  accessKey: { kind: 'string', doc: 'RocketMQ ACL access key' },
  secretKey: { kind: 'secret', doc: 'RocketMQ ACL secret key (never logged or returned)' },
  autoCreateGroupEnable: {
    kind: 'boolean',
    default: 'true',
    doc: 'create the runtime’s consumer groups with admin calls',
  },
  pluginPaths: { kind: 'list', default: '', doc: 'comma-separated plugin directories' },
  httpAuthToken: { kind: 'secret', doc: 'bearer token every HTTP route but /health requires (none: open)' },
  httpTlsCertFile: { kind: 'string', doc: 'PEM certificate file: serve HTTPS (with httpTlsKeyFile)' },
  httpTlsKeyFile: { kind: 'secret', doc: 'PEM private key file for httpTlsCertFile' },
  offsetCommitIntervalMs: { kind: 'ms', default: '5000', doc: 'period of position and offset commits' },
  routeRefreshMs: {
    kind: 'ms',
    default: '30000',
    doc: 'how often running tasks read their topics’ routes again (queues added, a master away)',
  },
  connectorCallTimeoutMs: {
    kind: 'ms',
    default: '30000',
    doc: 'time allowed to each call into connector code',
  },
  clusterTopic: { kind: 'string', default: 'connector-cluster-topic', doc: 'cluster: membership topic' },
  configTopic: { kind: 'string', default: 'connector-config-topic', doc: 'cluster: connector config log' },
  offsetTopic: { kind: 'string', default: 'connector-offset-topic', doc: 'cluster: sink offsets' },
  positionTopic: { kind: 'string', default: 'connector-position-topic', doc: 'cluster: source positions' },
  consumerGroup: {
    kind: 'string',
    default: 'connector-consumer-group',
    doc: 'cluster: group the workers read the state topics with',
  },
  clusterGroup: { kind: 'string', default: 'connector-cluster-group', doc: 'cluster: membership group' },
  allocTaskStrategy: {
    kind: 'string',
    default: 'round-robin',
    doc: 'cluster: task allocation, round-robin or consistent-hash',
  },
  heartbeatIntervalMs: { kind: 'ms', default: '2000', doc: 'cluster: heartbeat period' },
  memberTimeoutMs: {
    kind: 'ms',
    default: '10000',
    doc: 'cluster: silence after which a worker counts as dead (its tasks move)',
  },
  advertisedUrl: {
    kind: 'string',
    doc: 'cluster: URL other workers reach this one at (default http(s)://httpBindAddress:httpPort)',
  },
  stateBroker: {
    kind: 'string',
    doc: 'cluster: broker name the state topics are created on (default: the first master by name)',
  },
  ownerHeaders: {
    kind: 'boolean',
    default: 'true',
    doc: 'add sluice.connector, sluice.task, sluice.epoch and sluice.worker to every message and record written',
  },
  logLevel: {
    kind: 'string',
    default: 'info',
    doc: `least level logged: ${LOG_LEVEL_NAMES.join(', ')}; PUT /admin/loggers/root changes it while the worker runs`,
  },
};

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
  for (const e of entries) {
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
