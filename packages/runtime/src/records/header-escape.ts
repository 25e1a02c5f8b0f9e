import { SYSTEM_PROPERTIES } from '@sluice/rocketmq';

// Headers ↔ RocketMQ user properties, both ways. RocketMQ refuses a property with an empty value
// or a system property's name (KEYS, TAGS, DELAY, …), and its encoding has no room for U+0001
// and U+0002; a record carrying such a header (a Kafka header with a null value, say) would fail
// its task at every try. Such a header travels escaped instead, and comes back as it was.

/** The user properties that carry escaped headers: `sluice.h.<name>` = `=<value>`, %-escaped. */
export const ESCAPED_HEADER_PREFIX = 'sluice.h.';

// RocketMQ's property encoding separates names from values with U+0001 and pairs with U+0002.
const hasSeparator = (s: string) => s.includes('\u0001') || s.includes('\u0002');
const SPECIAL = new Set(['%', '\u0001', '\u0002']);

function pct(s: string): string {
  let out = '';
  for (const c of s) out += SPECIAL.has(c) ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c;
  return out;
}

const unpct = (s: string) =>
  s.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

function plain(name: string, value: string): boolean {
  return (
    value !== '' &&
    name.trim() !== '' &&
    !SYSTEM_PROPERTIES.has(name) &&
    !name.startsWith(ESCAPED_HEADER_PREFIX) &&
    !hasSeparator(name) &&
    !hasSeparator(value)
  );
}

/** Headers as user properties RocketMQ accepts: plain ones as they are, the others escaped. */
export function escapeHeaders(
  headers: Readonly<Record<string, string>>,
  out: Record<string, string> = {},
): Record<string, string> {
  for (const name in headers) {
    const value = headers[name]!;
    if (plain(name, value)) out[name] = value;
    else out[`${ESCAPED_HEADER_PREFIX}${pct(name)}`] = `=${pct(value)}`;
  }
  return out;
}

/** User properties back as the headers they carried. */
export function unescapeHeaders(properties: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in properties) unescapeInto(out, name, properties[name]!);
  return out;
}

/** One user property back as the header it carried, into `out`. */
export function unescapeInto(out: Record<string, string>, name: string, value: string): void {
  if (name.startsWith(ESCAPED_HEADER_PREFIX) && value.startsWith('='))
    out[unpct(name.slice(ESCAPED_HEADER_PREFIX.length))] = unpct(value.slice(1));
  else out[name] = value;
}
