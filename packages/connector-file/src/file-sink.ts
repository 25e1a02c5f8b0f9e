import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { ConfigSpec, ConnectorConfig, SinkConnector, SinkRecord, SinkTask } from '@sluice/connect-api';
import { AllowedDirs } from './allowed-dirs.ts';
import { mustBeAllowed, SingleTaskConnector } from './single-task-connector.ts';

export const FILE_SINK_SPEC: ConfigSpec = {
  fields: [
    { name: 'file', type: 'string', required: true, doc: 'file the records are appended to, one per line' },
    { name: 'topics', type: 'list', required: true, doc: 'RocketMQ topics to read, comma-separated' },
  ],
  identifyingKeys: ['file', 'topics'],
};

/** Appends every record to a file, one line each, like Kafka Connect's FileStreamSink. One task. */
export class FileSinkConnector extends SingleTaskConnector implements SinkConnector {
  readonly kind = 'sink';
  readonly configSpec = FILE_SINK_SPEC;

  createTask(): SinkTask {
    return new FileSinkTask(this.dirs);
  }
}

/**
 * `put` appends; `flush` fsyncs, so an offset is stored only for lines that are on disk. A
 * worker killed in the middle of a write can leave the last line torn: that put never
 * completed, so its records come again — the torn rest is cut off at start, or it would glue
 * itself to the next line.
 */
export class FileSinkTask implements SinkTask {
  readonly #dirs: AllowedDirs;
  #fh: FileHandle | undefined;

  constructor(dirs: AllowedDirs = new AllowedDirs()) {
    this.#dirs = dirs;
  }

  async start(config: ConnectorConfig): Promise<void> {
    await mustBeAllowed(this.#dirs, config.file!);
    await cutTornLine(config.file!);
    this.#fh = await open(config.file!, 'a');
  }

  async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const parts: Buffer[] = [];
    for (const r of records)
      parts.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength), Buffer.from('\n'));
    await this.#fh!.write(Buffer.concat(parts));
  }

  async flush(): Promise<void> {
    await this.#fh?.sync();
  }

  async stop(): Promise<void> {
    await this.#fh?.sync();
    await this.#fh?.close();
    this.#fh = undefined;
  }
}

/** Cuts a file back to its last newline (nothing when it ends with one, or does not exist). */
async function cutTornLine(file: string): Promise<void> {
  const fh = await open(file, 'r+').catch(() => undefined);
  if (!fh) return;
  try {
    const { size } = await fh.stat();
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await fh.read(chunk, 0, end - start, start);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(10);
      if (nl >= 0) {
        end = start + nl + 1;
        break;
      }
      end = start;
    }
    if (end < size) await fh.truncate(end);
  } finally {
    await fh.close();
  }
}
