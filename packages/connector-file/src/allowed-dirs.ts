import { realpath } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';

/**
 * The directories the file connectors may read and write. A path is judged by where it really
 * is: `..` and symbolic links are resolved first (for a file not there yet, its nearest existing
 * parent), so `allowed/../etc/passwd` and a link out of an allowed directory are refused.
 * Without directories (the plugin made for tests and embedding), any path goes.
 */
export class AllowedDirs {
  readonly #dirs: readonly string[] | undefined;
  #real: Promise<string[]> | undefined;

  constructor(dirs?: readonly string[]) {
    this.#dirs = dirs;
  }

  /** Why `path` may not be used, or undefined when it may. */
  async refusal(path: string): Promise<string | undefined> {
    if (!this.#dirs) return undefined;
    this.#real ??= Promise.all(this.#dirs.map((d) => realpath(resolve(d)).catch(() => resolve(d))));
    const dirs = await this.#real;
    const real = await realPathOf(resolve(path));
    if (dirs.some((d) => real === d || real.startsWith(d.endsWith(sep) ? d : d + sep))) return undefined;
    const shown = real === resolve(path) ? '' : ` (really ${real})`;
    return `${path}${shown} is outside the directories the file connectors may use (fileConnectorDirs: ${this.#dirs.join(', ')})`;
  }
}

/** The real path of `path`, or of its nearest existing parent with the rest appended. */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(await realPathOf(parent), basename(path));
  }
}
