import type { ConfigField, ConfigIssue, ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import { ERROR_KEYS } from '../errant/policy.ts';
import { LIMIT_KEYS } from '../task/limit-keys.ts';
import { KAFKA_CONNECT_KEYS, unknownKeyMessage } from './kafka-connect-keys.ts';

/** Most tasks one connector may have (`tasks.num`, the seed's taskNum route, the API). */
export const MAX_TASKS = 1024;

/** Keys every connector config may carry, whatever its spec says. */
export const RUNTIME_KEYS: readonly ConfigField[] = [
  {
    name: 'name',
    type: 'string',
    group: 'Common',
    importance: 'high',
    doc: 'the connector’s name, as in the URL; the API sets it (a different one is refused)',
  },
  {
    name: 'connector.class',
    type: 'string',
    group: 'Common',
    importance: 'high',
    aliases: ['connector-class'],
    doc: 'which plugin connector runs this config: its name, short name (without Connector) or Java class name',
  },
  {
    name: 'tasks.num',
    type: 'int',
    group: 'Common',
    importance: 'high',
    default: '1',
    min: 1,
    max: MAX_TASKS,
    aliases: ['tasks.max'],
    doc: 'most tasks to run',
  },
  {
    name: 'rocketmq.order',
    type: 'string',
    default: 'key',
    oneOf: ['key', 'none'],
    group: 'Common',
    importance: 'medium',
    doc: 'sources: key keeps each key’s records in order (they wait while their queue’s master is away); none sends them to another master meanwhile. Records without a key always go where a master is up',
  },
  ...ERROR_KEYS,
  ...LIMIT_KEYS,
  ...KAFKA_CONNECT_KEYS,
];

export interface ValidatedConfig {
  /** Values by canonical field name, defaults filled in, aliases resolved. */
  config: Record<string, string>;
  issues: ConfigIssue[];
}

/**
 * Checks a connector config against its spec (plus the runtime's own keys): unknown keys, missing
 * required ones, types, bounds and allowed values. Returns every issue, not only the first.
 */
export function validateConfig(spec: ConfigSpec, raw: ConnectorConfig): ValidatedConfig {
  const fields = [...RUNTIME_KEYS, ...spec.fields];
  const byName = new Map<string, ConfigField>();
  for (const f of fields) {
    byName.set(f.name, f);
    for (const a of f.aliases ?? []) byName.set(a, f);
  }
  const config: Record<string, string> = {};
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      issues.push({ field: key, message: `must be a string (got ${typeof value})` });
      continue;
    }
    const field = byName.get(key);
    if (!field) {
      if (spec.allowedPrefixes?.some((p) => key.startsWith(p))) config[key] = value;
      else issues.push({ field: key, message: unknownKeyMessage(key) });
      continue;
    }
    if (config[field.name] !== undefined && config[field.name] !== value) {
      issues.push({ field: key, message: `conflicts with ${field.name}` });
      continue;
    }
    config[field.name] = value;
  }
  for (const field of fields) {
    const value = config[field.name];
    if (value === undefined || value.trim() === '') {
      if (field.required) issues.push({ field: field.name, message: `is required: ${field.doc}` });
      else if (field.default !== undefined) config[field.name] = field.default;
      else delete config[field.name];
      continue;
    }
    const problem = checkValue(field, value.trim(), config);
    if (problem) issues.push({ field: field.name, message: problem });
    else config[field.name] = value.trim();
  }
  return { config, issues };
}

function checkValue(field: ConfigField, value: string, config: ConnectorConfig): string | undefined {
  switch (field.type) {
    case 'int': {
      if (!/^-?\d+$/.test(value)) return `must be a whole number (got "${value}")`;
      const n = Number(value);
      if (!Number.isSafeInteger(n)) return `is too large (got "${value}")`;
      if (field.min !== undefined && n < field.min) return `must be at least ${field.min} (got ${n})`;
      if (field.max !== undefined && n > field.max) return `must be at most ${field.max} (got ${n})`;
      break;
    }
    case 'boolean':
      if (value !== 'true' && value !== 'false') return `must be true or false (got "${value}")`;
      break;
    case 'list': {
      const items = value.split(',').map((s) => s.trim());
      if (items.some((s) => s === '')) return 'has an empty item';
      if (field.oneOf) {
        const bad = items.filter((s) => !field.oneOf!.includes(s));
        if (bad.length > 0) return `may only contain ${field.oneOf.join(', ')} (got ${bad.join(', ')})`;
      }
      break;
    }
    default:
      if (field.oneOf && !field.oneOf.includes(value))
        return `must be one of ${field.oneOf.join(', ')} (got "${value}")`;
  }
  return field.check?.(value, config);
}
