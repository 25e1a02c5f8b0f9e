import type { ConnectorConfig } from '@sluice/connect-api';

/**
 * A connector whose work cannot be shared: one file has one reading position and one append
 * order, so however many tasks are allowed, exactly one runs, with the connector's own config.
 */
export abstract class SingleTaskConnector {
  #config: ConnectorConfig = {};

  start(config: ConnectorConfig): void {
    this.#config = config;
  }

  taskConfigs(): ConnectorConfig[] {
    return [this.#config];
  }

  stop(): void {}
}
