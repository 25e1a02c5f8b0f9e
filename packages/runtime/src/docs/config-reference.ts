import type { ConfigSpec } from '@sluice/connect-api';
import { envName, WORKER_KEYS } from '../config/worker-config.ts';
import { RUNTIME_KEYS } from '../connector/validate-config.ts';
import type { ConnectorClass } from '../plugins/plugin-registry.ts';

const cell = (s: string | undefined) => (s ?? '').replaceAll('|', '\\|');

/** The worker settings reference, generated from the one spec the parser uses. */
export function workerConfigReference(): string {
  const rows = Object.entries(WORKER_KEYS).map(
    ([key, spec]) =>
      `| \`${key}\` | ${spec.kind} | ${spec.required ? 'required' : spec.default === undefined || spec.default === '' ? '—' : `\`${spec.default}\``} | \`${envName(key)}\` | ${cell(spec.doc)} |`,
  );
  return ['| key | type | default | environment variable | meaning |', '|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

/** One connector's reference, generated from its config spec (plus the runtime's own keys). */
export function connectorReference(
  cls: Pick<ConnectorClass, 'name' | 'kind' | 'plugin'>,
  spec: ConfigSpec,
): string {
  const fields = [...RUNTIME_KEYS, ...spec.fields];
  const rows = fields.map((f) => {
    const bounds = [
      f.min !== undefined ? `≥ ${f.min}` : '',
      f.max !== undefined ? `≤ ${f.max}` : '',
      f.oneOf ? `one of ${f.oneOf.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const names = [f.name, ...(f.aliases ?? [])].map((n) => `\`${n}\``).join(' / ');
    return `| ${names} | ${f.type}${bounds ? ` (${bounds})` : ''} | ${f.required ? 'required' : f.default === undefined ? '—' : `\`${f.default}\``} | ${cell(f.doc)} |`;
  });
  const inferred = spec.identifyingKeys?.length
    ? `\nA config without \`connector.class\` is this connector's when it has ${spec.identifyingKeys.map((k) => `\`${k}\``).join(' and ')}.\n`
    : '';
  return [
    `### ${cls.name} (${cls.kind}, ${cls.plugin})`,
    inferred,
    '| key | type | default | meaning |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
