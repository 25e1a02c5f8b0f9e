import { readFile } from 'node:fs/promises';
import { UsageError } from '../usage-error.ts';

/** A JSON argument, inline or `@file`. */
export async function jsonArg(arg: string): Promise<unknown> {
  try {
    return JSON.parse(arg.startsWith('@') ? await readFile(arg.slice(1), 'utf8') : arg);
  } catch (err) {
    throw new UsageError(`${arg.slice(0, 60)} is not valid JSON: ${(err as Error).message}`);
  }
}
