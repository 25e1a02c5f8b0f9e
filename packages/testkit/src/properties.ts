import { writeFile } from 'node:fs/promises';

export type ConfigValue = string | number | boolean;

/** Writes a Java .properties file (keys and values here never need escaping beyond backslashes). */
export function writeProperties(path: string, entries: Record<string, ConfigValue>): Promise<void> {
  const lines = Object.entries(entries).map(([k, v]) => `${k}=${String(v).replaceAll('\\', '\\\\')}`);
  return writeFile(path, `${lines.join('\n')}\n`);
}
