import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyValueStore } from './kv-store.ts';
import { MemoryStore } from './memory-store.ts';

/**
 * A map kept in one JSON file. Every write replaces the file atomically — written to a temp file,
 * fsynced, renamed over the old one, the directory fsynced — so a kill -9 or power loss at any
 * moment leaves either the old content or the new, never a torn file. Writes are serialized.
 * Values must be JSON-able.
 */
export class FileStore<V> extends MemoryStore<V> implements KeyValueStore<V> {
  readonly file: string;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    super();
    this.file = file;
  }

  static async open<V>(file: string): Promise<FileStore<V>> {
    const store = new FileStore<V>(file);
    await mkdir(dirname(file), { recursive: true });
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text !== undefined) {
      let parsed: Record<string, V>;
      try {
        parsed = JSON.parse(text) as Record<string, V>;
      } catch (err) {
        // Renames are atomic, so this is not a torn write: someone edited or damaged the file.
        throw new Error(`store file ${file} is not valid JSON; fix or remove it`, { cause: err });
      }
      for (const [k, v] of Object.entries(parsed)) store.data.set(k, v);
    }
    return store;
  }

  override async putAll(entries: ReadonlyMap<string, V | undefined>): Promise<void> {
    await super.putAll(entries);
    const snapshot = JSON.stringify(Object.fromEntries(this.data));
    const write = this.#writing.then(() => this.#write(snapshot));
    this.#writing = write.catch(() => {});
    await write;
  }

  override async close(): Promise<void> {
    await this.#writing;
  }

  async #write(text: string): Promise<void> {
    const tmp = `${this.file}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    const dir = await open(dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
