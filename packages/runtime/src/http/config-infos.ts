import type { ConfigField, ConfigIssue, ConfigSpec, ConnectorConfig } from '@sluice/connect-api';
import { RUNTIME_KEYS } from '../connector/validate-config.ts';
import { isSecretKey, masked, scrubSecrets } from './secrets.ts';

// Kafka Connect's ConfigInfos, the answer of the validate route that Kafka UI tools render:
// every key of the runtime and the connector, grouped, with its definition and its value's
// errors. Sluice also reports keys it does not know (Kafka Connect ignores them), in a group of
// their own, so that a typo is not silently dropped.

const UNKNOWN_GROUP = 'Unknown keys';

/** A field's definition as Kafka Connect shows it. */
export function configKeyInfo(f: ConfigField, order: number, shownAs = f.name) {
  return {
    name: shownAs,
    type: f.type.toUpperCase(),
    required: f.required ?? false,
    default_value: f.default ?? null,
    importance: (f.importance ?? 'medium').toUpperCase(),
    documentation: f.doc,
    group: f.group ?? null,
    width: 'NONE',
    display_name: f.displayName ?? shownAs,
    dependents: [] as string[],
    order,
  };
}

/** Every field a connector's config has: the runtime's keys first, then the connector's own. */
export function allFields(spec: ConfigSpec): ConfigField[] {
  return [...RUNTIME_KEYS, ...spec.fields];
}

/** Orders within each group, counted from 1 as Kafka Connect does; -1 for keys of no group. */
function ordered(fields: readonly ConfigField[]): Map<ConfigField, number> {
  const seen = new Map<string, number>();
  return new Map(
    fields.map((f) => {
      if (f.group === undefined) return [f, -1];
      const n = (seen.get(f.group) ?? 0) + 1;
      seen.set(f.group, n);
      return [f, n];
    }),
  );
}

/** A plugin's own keys, as Kafka Connect's GET /connector-plugins/{plugin}/config lists them. */
export function configDefinitions(spec: ConfigSpec) {
  const order = ordered(spec.fields);
  return spec.fields.map((f) => configKeyInfo(f, order.get(f)!));
}

export function configInfos(
  className: string,
  spec: ConfigSpec,
  config: ConnectorConfig,
  issues: ConfigIssue[],
) {
  const fields = allFields(spec);
  const order = ordered(fields);
  const claimed = new Set<ConfigIssue>();
  // Secrets are masked wherever they could show: the values, and errors that quote them.
  const typed = new Map(
    fields.flatMap((f) => [f.name, ...(f.aliases ?? [])].map((n) => [n, f.type] as const)),
  );
  const secrets = Object.entries(config)
    .filter(([k]) => isSecretKey(k, typed.get(k)))
    .map(([, v]) => v);
  const shown = (key: string, v: string | null) =>
    v !== null && isSecretKey(key, typed.get(key)) ? masked(v) : v;
  const scrub = (messages: string[]) => messages.map((m) => scrubSecrets(m, secrets));
  const configs = fields.map((f) => {
    const names = [f.name, ...(f.aliases ?? [])];
    // Shown under the name the config used (tasks.max stays tasks.max).
    const shownAs = names.find((n) => config[n] !== undefined) ?? f.name;
    const mine = issues.filter((i) => names.includes(i.field));
    for (const i of mine) claimed.add(i);
    const given = config[shownAs];
    return {
      definition: configKeyInfo(f, order.get(f)!, shownAs),
      value: {
        name: shownAs,
        value: given !== undefined ? shown(shownAs, given) : (f.default ?? null),
        recommended_values: [...(f.oneOf ?? [])],
        errors: scrub(mine.map((i) => i.message)),
        visible: true,
      },
    };
  });
  const rest = issues.filter((i) => !claimed.has(i));
  const byKey = new Map<string, string[]>();
  for (const i of rest) byKey.set(i.field, [...(byKey.get(i.field) ?? []), i.message]);
  let n = 0;
  for (const [key, messages] of byKey)
    configs.push({
      definition: {
        ...configKeyInfo({ name: key, type: 'string', doc: 'not a key of this connector' }, ++n),
        group: UNKNOWN_GROUP,
        importance: 'LOW',
      },
      value: {
        name: key,
        value: shown(key, config[key] ?? null),
        recommended_values: [],
        errors: scrub(messages),
        visible: true,
      },
    });
  const groups = [...new Set(configs.map((c) => c.definition.group).filter((g): g is string => g !== null))];
  return { name: className, error_count: issues.length, groups, configs };
}
