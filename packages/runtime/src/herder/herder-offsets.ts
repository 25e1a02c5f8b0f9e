import { SluiceError } from '../errors.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { isEnabled, type StoredConnector } from '../state/stored-connector.ts';
import type { OffsetEntry } from '../worker/connector-offsets.ts';
import { sinkTopics } from '../worker/runtime-deps.ts';
import type { StateBackend } from './state-backend.ts';

/** The herder's offsets admin: read any time, change only while the connector is stopped. */
export class HerderOffsets {
  readonly #backend: StateBackend;
  readonly #registry: PluginRegistry;

  constructor(backend: StateBackend, registry: PluginRegistry) {
    this.#backend = backend;
    this.#registry = registry;
  }

  async list(name: string, stored: StoredConnector): Promise<OffsetEntry[]> {
    return (await this.#backend.offsets(name, false)).list(name, this.#kind(name, stored));
  }

  async alter(name: string, stored: StoredConnector, entries: OffsetEntry[]): Promise<void> {
    stoppedForOffsets(name, stored);
    const kind = this.#kind(name, stored);
    await (await this.#backend.offsets(name, true)).alter(name, kind, entries);
  }

  async reset(name: string, stored: StoredConnector): Promise<void> {
    stoppedForOffsets(name, stored);
    const kind = this.#kind(name, stored);
    const topics = sinkTopics(this.#registry.resolve(stored.config).create(), stored.config);
    await (await this.#backend.offsets(name, true)).reset(name, kind, topics);
  }

  #kind(name: string, stored: StoredConnector): 'source' | 'sink' {
    try {
      return this.#registry.resolve(stored.config).kind;
    } catch {
      throw new SluiceError(
        'CONFLICT',
        `connector ${name}: its plugin is not installed, so its offsets are unknown`,
      );
    }
  }
}

/** A running task would overwrite a change with its next commit. */
function stoppedForOffsets(name: string, stored: StoredConnector): void {
  if (isEnabled(stored))
    throw new SluiceError(
      'CONFLICT',
      `connector ${name} is running: stop it first (PUT /connectors/${name}/stop), then change its offsets`,
    );
}
