import type { ConfigIssue, ConnectorConfig } from '@sluice/connect-api';
import { AllowedDirs } from './allowed-dirs.ts';

/**
 * A connector whose work cannot be shared: one file has one reading position and one append
 * order, so however many tasks are allowed, exactly one runs, with the connector's own config.
 * Its `file` must lie in the allowed directories: checked when the config is validated, and
 * again when the task starts (a link may have changed since).
 */
export abstract class SingleTaskConnector {
  #config: ConnectorConfig = {};
  protected readonly dirs: AllowedDirs;

  constructor(dirs: AllowedDirs = new AllowedDirs()) {
    this.dirs = dirs;
  }

  async validate(config: ConnectorConfig): Promise<ConfigIssue[]> {
    if (!config.file) return [];
    const why = await this.dirs.refusal(config.file);
    return why ? [{ field: 'file', message: why }] : [];
  }

  start(config: ConnectorConfig): void {
    this.#config = config;
  }

  taskConfigs(): ConnectorConfig[] {
    return [this.#config];
  }

  stop(): void {}
}

/** For a task's start: fails with the reason when its file is outside the allowed directories. */
export async function mustBeAllowed(dirs: AllowedDirs, file: string): Promise<void> {
  const why = await dirs.refusal(file);
  if (why) throw new Error(why);
}
