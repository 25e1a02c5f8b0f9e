import type { ConfigField } from '@sluice/connect-api';

// Keys every Kafka Connect connector config may carry. Configs written for Kafka Connect (by
// Strimzi, Terraform, kcctl users) often hold them; each is either understood here — accepted
// with the values that mean what Sluice does anyway — or refused with the reason, never
// "unknown key".

const BYTES = ['org.apache.kafka.connect.converters.ByteArrayConverter', 'ByteArrayConverter'];

const converter = (name: string, what: string): ConfigField => ({
  name,
  type: 'string',
  group: 'Common',
  importance: 'low',
  oneOf: BYTES,
  doc: `Kafka Connect's ${what} converter. Sluice copies ${what}s as bytes, which is ByteArrayConverter; other converters are not supported`,
});

const none = (name: string, group: string, what: string): ConfigField => ({
  name,
  type: 'list',
  group,
  importance: 'low',
  doc: `Kafka Connect's ${what}: Sluice has none yet, so only an empty list is accepted`,
  check: (v) => (v.trim() === '' ? undefined : `is not supported: Sluice has no ${what} (yet)`),
});

export const KAFKA_CONNECT_KEYS: readonly ConfigField[] = [
  converter('key.converter', 'key'),
  converter('value.converter', 'value'),
  converter('header.converter', 'header'),
  none('transforms', 'Transforms', 'single message transforms'),
  none('predicates', 'Predicates', 'predicates'),
  {
    name: 'config.action.reload',
    type: 'string',
    group: 'Common',
    importance: 'low',
    default: 'restart',
    oneOf: ['restart', 'none'],
    doc: 'accepted for Kafka Connect configs; Sluice’s config providers (env, file, directory) have no time-to-live: references are read again whenever the connector starts afresh (config update, stop and resume, a worker restart), and nothing reloads by itself',
  },
  {
    name: 'tasks.max.enforce',
    type: 'boolean',
    group: 'Common',
    importance: 'low',
    default: 'true',
    doc: 'accepted for Kafka Connect configs; Sluice never runs more tasks than tasks.num / tasks.max',
  },
  {
    name: 'exactly.once.support',
    type: 'string',
    group: 'Exactly Once Support',
    importance: 'medium',
    default: 'requested',
    oneOf: ['requested', 'optional'],
    doc: 'sources: Sluice delivers at least once (duplicates are possible after a failure, loss is not); required is refused',
  },
  {
    name: 'transaction.boundary',
    type: 'string',
    group: 'Exactly Once Support',
    importance: 'medium',
    default: 'poll',
    oneOf: ['poll'],
    doc: 'sources: Sluice writes no transactions; only the default is accepted',
  },
];

/** Kafka Connect keys and key prefixes Sluice does not support, with the reason given. */
export const KAFKA_CONNECT_UNSUPPORTED: readonly { prefix: string; reason: string }[] = [
  { prefix: 'transforms.', reason: 'Sluice has no single message transforms (yet)' },
  { prefix: 'predicates.', reason: 'Sluice has no predicates (yet)' },
  { prefix: 'key.converter.', reason: 'Sluice copies keys as bytes: converters take no settings' },
  { prefix: 'value.converter.', reason: 'Sluice copies values as bytes: converters take no settings' },
  { prefix: 'header.converter.', reason: 'Sluice copies headers as text: converters take no settings' },
  {
    prefix: 'producer.override.',
    reason: "Sluice's connectors have their own client keys (see the connector's reference)",
  },
  {
    prefix: 'consumer.override.',
    reason: "Sluice's connectors have their own client keys (see the connector's reference)",
  },
  { prefix: 'admin.override.', reason: 'Sluice creates no topics through a Kafka admin client' },
  { prefix: 'topic.creation.', reason: 'Sluice does not create destination topics' },
  { prefix: 'offsets.storage.topic', reason: 'positions live in the cluster’s position topic' },
];

/** Why a key Sluice does not know is refused: the Kafka Connect reason, or unknown. */
export function unknownKeyMessage(key: string): string {
  const known = KAFKA_CONNECT_UNSUPPORTED.find((u) => key.startsWith(u.prefix));
  return known ? `is not supported: ${known.reason}` : 'unknown key';
}
