import type { ConnectorConfig } from '@sluice/connect-api';

// References to config providers, in Kafka Connect's syntax: `${provider:key}` or
// `${provider:path:key}`. A value may hold several, and text around them. The pure half of
// config providers: finding references, substituting them, and keeping them in what is stored.

/** One reference in a value. */
export interface ConfigReference {
  /** The whole `${…}` text. */
  text: string;
  provider: string;
  /** The file or directory; '' for `${env:VAR}`. */
  path: string;
  key: string;
}

// Kafka Connect's ConfigTransformer pattern: the provider runs to the first ':', the path (if
// any) to the next one, the key to the '}'.
const REFERENCE = /\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}/g;

export function referencesIn(value: string): ConfigReference[] {
  return [...value.matchAll(REFERENCE)].map((m) => ({
    text: m[0],
    provider: m[1]!,
    path: m[2] ?? '',
    key: m[3]!,
  }));
}

/** Whether `value` is nothing but references: it names where a secret is, not the secret. */
export function onlyReferences(value: string): boolean {
  return value.trim() !== '' && value.replace(REFERENCE, '').trim() === '';
}

/** `value` with each reference `lookup` answers replaced; the others are left as written. */
export function substitute(value: string, lookup: (ref: ConfigReference) => string | undefined): string {
  return value.replace(REFERENCE, (text, provider: string, path: string | undefined, key: string) => {
    const v = lookup({ text, provider, path: path ?? '', key });
    return v ?? text;
  });
}

/**
 * Configs derived from a resolved config (a connector's task configs) made fit to store and show:
 * a key whose raw value held a reference gets the raw value back (Kafka Connect's reverse
 * transform), a value equal to a resolved secret gets the reference it came from, and a secret
 * quoted inside any other value is cut out. `secrets`: resolved value → the raw value it came from.
 */
export function keepReferences(
  raw: ConnectorConfig,
  secrets: ReadonlyMap<string, string>,
  derived: ConnectorConfig,
): ConnectorConfig {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(derived)) {
    const given = raw[key];
    if (given !== undefined && referencesIn(given).length > 0) out[key] = given;
    else if (value.length >= MIN_SECRET && secrets.has(value)) out[key] = secrets.get(value)!;
    else out[key] = withoutSecrets(value, secrets);
  }
  return out;
}

// Shorter values are not looked for: replacing every "1" or "" would garble everything.
const MIN_SECRET = 4;

/** `text` with every resolved secret (4 characters or more) in it replaced by its reference. */
export function withoutSecrets(text: string, secrets: ReadonlyMap<string, string>): string {
  let out = text;
  // Longest first: a secret that contains another is replaced whole.
  const bySize = [...secrets].sort(([a], [b]) => b.length - a.length);
  for (const [secret, reference] of bySize)
    if (secret.length >= MIN_SECRET) out = out.split(secret).join(reference);
  return out;
}
