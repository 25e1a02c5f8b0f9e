import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import type {
  ConfigSpec,
  ConnectorConfig,
  SourceConnector,
  SourceRecord,
  SourceTask,
  SourceTaskContext,
} from '@sluice/connect-api';
import { AllowedDirs } from './allowed-dirs.ts';
import { IdleWait } from './idle-wait.ts';
import { mustBeAllowed, SingleTaskConnector } from './single-task-connector.ts';

export const FILE_SOURCE_SPEC: ConfigSpec = {
  fields: [
    { name: 'file', type: 'string', required: true, doc: 'file to tail; one record per line' },
    { name: 'topic', type: 'string', required: true, doc: 'RocketMQ topic the lines go to' },
    {
      name: 'batch.size',
      type: 'int',
      default: '2000',
      min: 1,
      max: 100_000,
      doc: 'most lines returned by one poll',
    },
    {
      name: 'poll.interval.ms',
      type: 'int',
      default: '100',
      min: 1,
      max: 60_000,
      doc: 'wait when the file has no new line',
    },
  ],
  identifyingKeys: ['file', 'topic'],
};

/** Tails a file, one record per line, like Kafka Connect's FileStreamSource. One task. */
export class FileSourceConnector extends SingleTaskConnector implements SourceConnector {
  readonly kind = 'source';
  readonly configSpec = FILE_SOURCE_SPEC;

  createTask(): SourceTask {
    return new FileSourceTask(this.dirs);
  }
}

const NEWLINE = 0x0a;
/** Bytes read from the file at once (more only for a line longer than that). */
const READ_CHUNK = 4 * 1024 * 1024;

/**
 * Reads complete lines from a byte position on. The position stored with each record is the byte
 * just after its line, so a restart resumes at the first line not acknowledged. A last line
 * without its newline is left until the newline arrives.
 */
export class FileSourceTask implements SourceTask {
  readonly #dirs: AllowedDirs;
  #file = '';
  #topic = '';
  #batchSize = 2000;
  #pollIntervalMs = 100;
  #position = 0;
  #fh: FileHandle | undefined;
  #buffer = Buffer.alloc(0);
  #bufferStart = 0;
  readonly #idle = new IdleWait();

  constructor(dirs: AllowedDirs = new AllowedDirs()) {
    this.#dirs = dirs;
  }

  async start(config: ConnectorConfig, ctx: SourceTaskContext): Promise<void> {
    await mustBeAllowed(this.#dirs, config.file!);
    this.#file = config.file!;
    this.#topic = config.topic!;
    this.#batchSize = Number(config['batch.size'] ?? 2000);
    this.#pollIntervalMs = Number(config['poll.interval.ms'] ?? 100);
    const stored = await ctx.position({ filename: this.#file });
    this.#position = stored ? Number(stored.position) : 0;
    this.#bufferStart = this.#position;
  }

  /** Bytes read from the file and not yet returned as lines. */
  get readAhead(): number {
    return this.#buffer.length;
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const records = await this.#readLines();
    if (records.length > 0 || signal.aborted) return records;
    await this.#idle.wait(signal, this.#pollIntervalMs);
    return [];
  }

  async #readLines(): Promise<SourceRecord[]> {
    if (!this.#fh) {
      try {
        this.#fh = await open(this.#file, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    }
    // Top the buffer up to one chunk once it is half used (a whole chunk more while it holds no
    // complete line): a poll takes batch.size lines, and reading a chunk at every poll regardless
    // buffered the file; topping up at every poll would copy the buffer at every poll.
    const full = this.#buffer.indexOf(NEWLINE) >= 0;
    const want = !full
      ? READ_CHUNK
      : this.#buffer.length < READ_CHUNK / 2
        ? READ_CHUNK - this.#buffer.length
        : 0;
    if (want > 0) {
      const size = (await stat(this.#file)).size;
      const readFrom = this.#bufferStart + this.#buffer.length;
      if (size > readFrom) {
        const chunk = Buffer.allocUnsafe(Math.min(size - readFrom, want));
        const { bytesRead } = await this.#fh.read(chunk, 0, chunk.length, readFrom);
        this.#buffer = Buffer.concat([this.#buffer, chunk.subarray(0, bytesRead)]);
      }
    }
    const records: SourceRecord[] = [];
    let at = 0;
    while (records.length < this.#batchSize) {
      const nl = this.#buffer.indexOf(NEWLINE, at);
      if (nl < 0) break;
      const end = nl > at && this.#buffer[nl - 1] === 0x0d ? nl - 1 : nl;
      const next = this.#bufferStart + nl + 1;
      records.push({
        sourcePartition: { filename: this.#file },
        sourcePosition: { position: next },
        topic: this.#topic,
        // One key per file: every line of the file lands in one queue, so order holds.
        key: this.#file,
        value: Buffer.from(this.#buffer.subarray(at, end)),
      });
      at = nl + 1;
    }
    this.#buffer = this.#buffer.subarray(at);
    this.#bufferStart += at;
    this.#position = this.#bufferStart;
    return records;
  }

  async stop(): Promise<void> {
    this.#idle.close();
    await this.#fh?.close();
    this.#fh = undefined;
  }
}
