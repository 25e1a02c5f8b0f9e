import type { ConfigField, ConfigIssue, ConnectorConfig } from '@sluice/connect-api';
import type { KafkaClientSettings } from './kafka-client.ts';

// Keys both connectors share: where Kafka is, how to reach it, loop prevention.

export const CLIENT_FIELDS: readonly ConfigField[] = [
  {
    name: 'kafka.bootstrap.server',
    type: 'list',
    required: true,
    aliases: ['kafka.bootstrap.servers'],
    doc: 'Kafka brokers, host:port, comma-separated (the seed’s key)',
  },
  {
    name: 'kafka.security.protocol',
    type: 'string',
    default: 'PLAINTEXT',
    oneOf: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
    doc: 'as Kafka’s security.protocol',
  },
  {
    name: 'kafka.sasl.mechanism',
    type: 'string',
    default: 'PLAIN',
    oneOf: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
    doc: 'SASL mechanism (SASL_* protocols)',
  },
  { name: 'kafka.sasl.username', type: 'string', doc: 'SASL user name' },
  { name: 'kafka.sasl.password', type: 'password', doc: 'SASL password (masked in every answer and log)' },
  {
    name: 'kafka.ssl.ca.pem',
    type: 'string',
    doc: 'PEM CA certificate(s) to trust (SSL protocols); default: the system’s',
  },
  {
    name: 'kafka.ssl.certificate.pem',
    type: 'string',
    doc: 'PEM certificate chain of this client, for brokers that require client authentication (mTLS; with kafka.ssl.key.pem)',
  },
  {
    name: 'kafka.ssl.key.pem',
    type: 'password',
    doc: 'PEM private key of kafka.ssl.certificate.pem (give it as ${directory:/dir:file} or ${file:…} to keep it out of the config)',
  },
  {
    name: 'kafka.ssl.key.password',
    type: 'password',
    doc: 'passphrase of kafka.ssl.key.pem, if it is encrypted',
  },
  {
    name: 'kafka.ssl.verify',
    type: 'boolean',
    default: 'true',
    doc: 'verify the brokers’ certificates (SSL protocols)',
  },
  {
    name: 'kafka.request.timeout.ms',
    type: 'int',
    default: '30000',
    min: 1000,
    max: 600000,
    doc: 'Kafka request timeout',
  },
  {
    name: 'loop.prevention',
    type: 'boolean',
    default: 'true',
    doc: 'mark records with their origin and skip one that would go back where it came from: two-way syncs never echo',
  },
  {
    name: 'loop.marker',
    type: 'string',
    default: 'by_connector',
    doc: 'the header / user property holding a record’s origin (kafka:<topic> or rocketmq:<topic>; "true" always skips)',
  },
];

export function clientSettings(config: ConnectorConfig, clientId: string): KafkaClientSettings {
  const protocol = config['kafka.security.protocol'] ?? 'PLAINTEXT';
  const ssl = protocol === 'SSL' || protocol === 'SASL_SSL';
  const sasl = protocol.startsWith('SASL_');
  return {
    clientId,
    bootstrap: (config['kafka.bootstrap.server'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    requestTimeoutMs: Number(config['kafka.request.timeout.ms'] ?? '30000'),
    ...(sasl
      ? {
          sasl: {
            mechanism: (config['kafka.sasl.mechanism'] ?? 'PLAIN') as 'PLAIN',
            username: config['kafka.sasl.username'] ?? '',
            password: config['kafka.sasl.password'] ?? '',
          },
        }
      : {}),
    ...(ssl
      ? {
          tls: {
            ...(config['kafka.ssl.ca.pem'] ? { ca: config['kafka.ssl.ca.pem'] } : {}),
            ...(config['kafka.ssl.certificate.pem'] ? { cert: config['kafka.ssl.certificate.pem'] } : {}),
            ...(config['kafka.ssl.key.pem'] ? { key: config['kafka.ssl.key.pem'] } : {}),
            ...(config['kafka.ssl.key.password'] ? { passphrase: config['kafka.ssl.key.password'] } : {}),
            rejectUnauthorized: config['kafka.ssl.verify'] !== 'false',
          },
        }
      : {}),
  };
}

export function clientIssues(config: ConnectorConfig): ConfigIssue[] {
  const protocol = config['kafka.security.protocol'] ?? 'PLAINTEXT';
  const issues: ConfigIssue[] = [];
  if (protocol.startsWith('SASL_') && (!config['kafka.sasl.username'] || !config['kafka.sasl.password']))
    issues.push({
      field: 'kafka.sasl.username',
      message: `${protocol} needs kafka.sasl.username and kafka.sasl.password`,
    });
  if (Boolean(config['kafka.ssl.certificate.pem']) !== Boolean(config['kafka.ssl.key.pem']))
    issues.push({
      field: config['kafka.ssl.certificate.pem'] ? 'kafka.ssl.key.pem' : 'kafka.ssl.certificate.pem',
      message: 'kafka.ssl.certificate.pem and kafka.ssl.key.pem go together (mTLS)',
    });
  for (const field of ['kafka.ssl.ca.pem', 'kafka.ssl.certificate.pem'] as const) {
    const v = config[field];
    if (v && !v.includes('-----BEGIN CERTIFICATE-----'))
      issues.push({
        field,
        message:
          'must hold PEM text (-----BEGIN CERTIFICATE-----…), not a file name; ${file:…} or ${directory:…} reads a file',
      });
  }
  const key = config['kafka.ssl.key.pem'];
  if (key && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key))
    issues.push({
      field: 'kafka.ssl.key.pem',
      message: 'must hold a PEM private key (-----BEGIN PRIVATE KEY-----…)',
    });
  return issues;
}

export function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The topic pairs a connector moves: the seed's list (each topic to the one of the same name) or
 * the later single mapping (`from` → `to`). Exactly one of the two forms.
 */
export function topicPairs(
  config: ConnectorConfig,
  keys: { list: string; from: string; to: string },
): { pairs: [string, string][]; issues: ConfigIssue[] } {
  const names = list(config[keys.list]);
  const from = config[keys.from]?.trim();
  const to = config[keys.to]?.trim();
  if (names.length > 0 && (from || to))
    return {
      pairs: [],
      issues: [{ field: keys.list, message: `give ${keys.list}, or ${keys.from} with ${keys.to}, not both` }],
    };
  if (names.length > 0) return { pairs: names.map((n) => [n, n]), issues: [] };
  if (from && to) return { pairs: [[from, to]], issues: [] };
  if (from || to)
    return {
      pairs: [],
      issues: [{ field: from ? keys.to : keys.from, message: `${keys.from} and ${keys.to} go together` }],
    };
  return {
    pairs: [],
    issues: [{ field: keys.list, message: `is required (or ${keys.from} with ${keys.to})` }],
  };
}
