// @sluice/connector-file: file source and sink connectors (demo and tests), as a plugin.
import type { Plugin } from '@sluice/connect-api';
import { FileSinkConnector } from './file-sink.ts';
import { FileSourceConnector } from './file-source.ts';

export { FILE_SINK_SPEC, FileSinkConnector, FileSinkTask } from './file-sink.ts';
export { FILE_SOURCE_SPEC, FileSourceConnector, FileSourceTask } from './file-source.ts';

export const plugin: Plugin = {
  name: '@sluice/connector-file',
  version: '0.1.0',
  connectors: {
    FileStreamSource: () => new FileSourceConnector(),
    FileStreamSink: () => new FileSinkConnector(),
  },
  // Kafka Connect's FileStream connectors take the same keys (file, topic / topics).
  aliases: {
    FileStreamSource: ['org.apache.kafka.connect.file.FileStreamSourceConnector'],
    FileStreamSink: ['org.apache.kafka.connect.file.FileStreamSinkConnector'],
  },
};

export default plugin;
