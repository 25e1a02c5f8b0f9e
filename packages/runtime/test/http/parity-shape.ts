// The shape of a JSON answer, for comparing Sluice's API with Kafka Connect's: which keys, and
// what type each value has; not the values themselves. An empty array matches any array.

export function differences(kafka: unknown, sluice: unknown, at = ''): string[] {
  const where = at || '.';
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(kafka) !== kind(sluice))
    return [`${where}: ${kind(kafka)} in Kafka Connect, ${kind(sluice)} in Sluice`];
  if (Array.isArray(kafka) && Array.isArray(sluice)) {
    if (kafka.length === 0 || sluice.length === 0) return [];
    return differences(kafka[0], sluice[0], `${at}[]`);
  }
  if (kind(kafka) !== 'object') return [];
  const k = kafka as Record<string, unknown>;
  const s = sluice as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(k).sort())
    if (!(key in s)) out.push(`${at}.${key}: only in Kafka Connect`);
    else out.push(...differences(k[key], s[key], `${at}.${key}`));
  for (const key of Object.keys(s).sort()) if (!(key in k)) out.push(`${at}.${key}: only in Sluice`);
  return out;
}
