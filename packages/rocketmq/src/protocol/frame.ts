import { RocketMQError } from '../errors.ts';
import { type RemotingCommand, SerializeType, type SerializeTypeValue } from './command.ts';
import { decodeBinaryHeader, encodeBinaryHeader } from './header-binary.ts';
import { decodeJsonHeader, encodeJsonHeader } from './header-json.ts';

/** The largest frame a RocketMQ server accepts (com.rocketmq.remoting.frameMaxLength). */
export const MAX_FRAME_LENGTH = 16 * 1024 * 1024;

/** Encodes a command as one frame: length, header meta, header, body (spec §1.2). */
export function encodeFrame(cmd: RemotingCommand, type: SerializeTypeValue = SerializeType.JSON): Buffer {
  const [head, body] = encodeFrameParts(cmd, type);
  return body ? Buffer.concat([head, body]) : head;
}

/**
 * The same frame as two buffers, the head (length, header meta, header) and the body as given:
 * written one after the other, a large body is never copied.
 */
export function encodeFrameParts(
  cmd: RemotingCommand,
  type: SerializeTypeValue = SerializeType.JSON,
): [head: Buffer, body: Buffer | undefined] {
  const header = type === SerializeType.JSON ? encodeJsonHeader(cmd) : encodeBinaryHeader(cmd);
  const bodyLength = cmd.body?.length ?? 0;
  const length = 4 + header.length + bodyLength;
  if (length > MAX_FRAME_LENGTH) {
    throw new RocketMQError(
      'INVALID_ARGUMENT',
      `frame of ${length} bytes exceeds the ${MAX_FRAME_LENGTH}-byte limit`,
    );
  }
  const head = Buffer.allocUnsafe(8 + header.length);
  head.writeInt32BE(length, 0);
  head.writeInt32BE(((type & 0xff) << 24) | header.length, 4);
  header.copy(head, 8);
  return [head, bodyLength > 0 ? cmd.body : undefined];
}

/** Decodes one complete frame (without its 4-byte length prefix), whichever header type it uses. */
export function decodeFrame(frame: Buffer): RemotingCommand {
  if (frame.length < 4) throw new RocketMQError('PROTOCOL_ERROR', 'frame too short');
  const meta = frame.readInt32BE(0);
  const type = (meta >>> 24) & 0xff;
  const headerLength = meta & 0xffffff;
  if (headerLength > frame.length - 4)
    throw new RocketMQError('PROTOCOL_ERROR', 'header length exceeds frame');
  const headerBytes = frame.subarray(4, 4 + headerLength);
  let header: Omit<RemotingCommand, 'body'>;
  if (type === SerializeType.JSON) header = decodeJsonHeader(headerBytes);
  else if (type === SerializeType.ROCKETMQ) header = decodeBinaryHeader(headerBytes);
  else throw new RocketMQError('PROTOCOL_ERROR', `unknown header serialization type ${type}`);
  const body = frame.length > 4 + headerLength ? frame.subarray(4 + headerLength) : undefined;
  return { ...header, body };
}

/**
 * Splits a byte stream into frames. Chunks are kept in a list and joined only when a frame is
 * complete, so a 4 MB body arriving in 64 KB chunks is copied once, not once per chunk.
 */
export class FrameSplitter {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #need = -1;

  /** Feeds bytes; returns every frame (length prefix stripped) completed by them. */
  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.#need < 0) {
        if (this.#buffered < 4) break;
        const length = this.#peekLength();
        if (length < 4 || length > MAX_FRAME_LENGTH) {
          throw new RocketMQError('PROTOCOL_ERROR', `invalid frame length ${length}`);
        }
        this.#take(4);
        this.#need = length;
      }
      if (this.#buffered < this.#need) break;
      frames.push(this.#take(this.#need));
      this.#need = -1;
    }
    return frames;
  }

  #peekLength(): number {
    const first = this.#chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.#chunks, 4).readInt32BE(0);
  }

  #take(n: number): Buffer {
    const first = this.#chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let copied = 0;
      while (copied < n) {
        const chunk = this.#chunks[0]!;
        const part = Math.min(chunk.length, n - copied);
        chunk.copy(out, copied, 0, part);
        copied += part;
        if (part === chunk.length) this.#chunks.shift();
        else this.#chunks[0] = chunk.subarray(part);
      }
    }
    this.#buffered -= n;
    return out;
  }
}
