import { deflateSync, inflateSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { RocketMQError } from '../errors.ts';

/** sysFlag bit 0: the body is compressed; bits 8-10 say how (spec §6.2, §6.6). */
export const COMPRESSED_FLAG = 0x1;
export const CompressionType = { LZ4: 1, ZSTD: 2, ZLIB: 3 } as const;
export type CompressionTypeValue = (typeof CompressionType)[keyof typeof CompressionType];

export function compressionTypeOf(sysFlag: number): number {
  // 0 means ZLIB: senders that predate compression types set only bit 0.
  const type = (sysFlag >> 8) & 0x7;
  return type === 0 ? CompressionType.ZLIB : type;
}

export function compress(body: Buffer, type: CompressionTypeValue, level = 5): Buffer {
  if (type === CompressionType.ZLIB) return deflateSync(body, { level });
  if (type === CompressionType.ZSTD) return zstdCompressSync(body);
  throw new RocketMQError('UNSUPPORTED', 'LZ4 compression is not supported for sending; use ZLIB or ZSTD');
}

export function decompress(body: Buffer, sysFlag: number): Buffer {
  const type = compressionTypeOf(sysFlag);
  try {
    if (type === CompressionType.ZLIB) return inflateSync(body);
    if (type === CompressionType.ZSTD) return zstdDecompressSync(body);
  } catch (err) {
    throw new RocketMQError('PROTOCOL_ERROR', 'could not decompress a message body', { cause: err });
  }
  throw new RocketMQError('UNSUPPORTED', `message body compressed with unsupported type ${type} (LZ4)`);
}
