import type { Connector } from './connector.ts';

/**
 * What a plugin package's entry module exports as default. The package's `package.json` names
 * the module in `sluice.plugin` (or `main`). A plugin brings its own dependencies in its own
 * `node_modules` and sees no other plugin's.
 */
export interface Plugin {
  name: string;
  version: string;
  /** Connector classes by name, e.g. `{ FileStreamSource: () => new FileSource() }`. */
  connectors: Readonly<Record<string, () => Connector>>;
  /**
   * Other names a class answers to in `connector.class`, by class name: the Java class names of
   * connectors doing the same job in Kafka Connect or RocketMQ Connect, so that their configs
   * work unchanged. Without these, every class answers to its name in any case, with or without
   * a `Connector` suffix (`FileStreamSource`, `FileStreamSourceConnector`).
   */
  aliases?: Readonly<Record<string, readonly string[]>>;
}
