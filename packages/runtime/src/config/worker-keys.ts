// Every key a worker config may hold: its type, default and the line docs/reference.md shows.

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
  /** Origins whose web pages may change state through the API, besides the worker's own. */
  httpAllowedOrigins: string[];
  /** The seed's GET routes: enabled (default), readonly or disabled. */
  seedRoutes: 'enabled' | 'readonly' | 'disabled';
  /** Directories the file connectors may use; none (default): they are not installed. */
  fileConnectorDirs: string[];
  /** Config providers resolving `${provider:…}` in connector configs: env, file, directory. */
  configProviders: string[];
  /** Files and directories the file and directory providers may read; none: any. */
  configProviderAllowedPaths: string[];
  /** What is served without httpAuthToken: any of health, ui, metrics. */
  httpAuthExempt: AuthExempt[];
}

/** pino's level names, least to most severe; `silent` logs nothing. */
export const LOG_LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export type Kind = 'string' | 'port' | 'boolean' | 'list' | 'ms' | 'secret';

export interface KeySpec {
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
  httpAllowedOrigins: {
    kind: 'list',
    default: '',
    doc: 'origins (scheme://host:port) whose web pages may change state through the API besides the worker’s own; a state-changing request a browser sends from any other site is refused (403)',
  },
  seedRoutes: {
    kind: 'string',
    default: 'enabled',
    doc: 'the original design’s GET routes: enabled, readonly (those that change state answer 403) or disabled (all answer 403)',
  },
  fileConnectorDirs: {
    kind: 'list',
    default: '',
    doc: 'comma-separated directories FileStreamSource and FileStreamSink may read and write (after resolving .. and links); empty: the file connectors are not installed',
  },
  configProviders: {
    kind: 'list',
    default: '',
    doc: 'config providers resolving references in connector configs, any of env (${env:VAR}), file (${file:/path.properties:key}) and directory (${directory:/dir:file}); resolved when a connector or task starts and for validation, never stored or shown resolved (Kafka Connect’s config.providers)',
  },
  httpAuthExempt: {
    kind: 'list',
    default: 'health,ui',
    doc: 'with httpAuthToken, what is served without it: health (GET /health, for probes), ui (the dashboard’s static files; its data still needs the token), metrics (GET /metrics, for a Prometheus without credentials); empty: the token covers everything',
  },
  configProviderAllowedPaths: {
    kind: 'list',
    default: '',
    doc: 'files and directories (after .. and links) the file and directory providers may read; empty: any the worker can read',
  },
};

/** Parts of the API a worker may serve without its token (httpAuthExempt). */
export const AUTH_EXEMPT = ['health', 'ui', 'metrics'] as const;
export type AuthExempt = (typeof AUTH_EXEMPT)[number];

/** Values of seedRoutes. */
export const SEED_ROUTES = ['enabled', 'readonly', 'disabled'] as const;
