// @sluice/connector-file: file source and sink connectors (demo and tests), as a plugin.
import type { Plugin } from '@sluice/connect-api';
import { AllowedDirs } from './allowed-dirs.ts';
import { FileSinkConnector } from './file-sink.ts';
import { FileSourceConnector } from './file-source.ts';

export { AllowedDirs } from './allowed-dirs.ts';
export { FILE_SINK_SPEC, FileSinkConnector, FileSinkTask } from './file-sink.ts';
export { FILE_SOURCE_SPEC, FileSourceConnector, FileSourceTask } from './file-source.ts';

/**
 * The file connectors, confined to `allowedDirs` (after resolving `..` and links): a file
 * outside them is refused when the config is validated and when a task starts. Without
 * `allowedDirs`, any path the process may open (tests, embedding).
 */
export function fileConnectors(opts: { allowedDirs?: readonly string[] } = {}): Plugin {
  const dirs = new AllowedDirs(opts.allowedDirs);
  return {
    name: '@sluice/connector-file',
    version: '0.1.0',
    connectors: {
      FileStreamSource: () => new FileSourceConnector(dirs),
      FileStreamSink: () => new FileSinkConnector(dirs),
    },
    // Kafka Connect's FileStream connectors take the same keys (file, topic / topics).
    aliases: {
      FileStreamSource: ['org.apache.kafka.connect.file.FileStreamSourceConnector'],
      FileStreamSink: ['org.apache.kafka.connect.file.FileStreamSinkConnector'],
    },
  };
}

/** Unconfined: for tests and embedding. A worker installs `fileConnectors({allowedDirs})`. */
export const plugin: Plugin = fileConnectors();

export default plugin;
