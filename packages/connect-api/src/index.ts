// @sluice/connect-api: what a connector author imports. Types, plus two small error classes and
// their checks (errors.ts); no dependencies, so a plugin built against one version loads in any
// runtime of the same major.
export type { ConfigField, ConfigIssue, ConfigSpec, ConfigType, ConnectorConfig } from './config.ts';
export type {
  Connector,
  SinkConnector,
  SinkOffsets,
  SinkTask,
  SourceConnector,
  SourceTask,
} from './connector.ts';
export type { ConnectorContext, Logger, SinkTaskContext, SourceTaskContext } from './context.ts';
export { EndOfInputError, isEndOfInput, isRetriableError, RetriableError } from './errors.ts';
export type { Plugin } from './plugin.ts';
export type {
  Headers,
  QueueRef,
  RecordAck,
  SinkRecord,
  SourcePartition,
  SourcePosition,
  SourceRecord,
} from './record.ts';
