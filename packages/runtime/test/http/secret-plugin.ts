import type { Plugin, SinkConnector, SinkTask } from '@sluice/connect-api';

/** A sink that does nothing but declares a password field: for the secret-masking tests. */
class SecretSink implements SinkConnector {
  readonly kind = 'sink';
  readonly configSpec = {
    fields: [
      { name: 'topics', type: 'list' as const, required: true, doc: 'topics' },
      { name: 'db.pass', type: 'password' as const, required: true, doc: 'a secret the spec marks' },
      { name: 'api.token', type: 'string' as const, doc: 'a secret only its name gives away' },
    ],
  };
  #config = {};
  start(config: Record<string, string>): void {
    this.#config = config;
  }
  taskConfigs(): Record<string, string>[] {
    return [this.#config];
  }
  stop(): void {}
  createTask(): SinkTask {
    return { start() {}, put: async () => {}, stop() {} };
  }
}

export const secretPlugin: Plugin = {
  name: 'secret-test-plugin',
  version: '0.0.1',
  connectors: { SecretSink: () => new SecretSink() },
};
