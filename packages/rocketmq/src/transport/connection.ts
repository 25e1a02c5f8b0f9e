import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { RocketMQError } from '../errors.ts';
import {
  CLIENT_VERSION,
  FLAG_ONEWAY,
  FLAG_RESPONSE,
  type LanguageName,
  ResponseCode,
} from '../protocol/codes.ts';
import {
  isOneway,
  isResponse,
  type RemotingCommand,
  SerializeType,
  type SerializeTypeValue,
} from '../protocol/command.ts';
import { decodeFrame, encodeFrameParts, FrameSplitter } from '../protocol/frame.ts';
import type { Request } from './request.ts';
import { SocketWriter, type WriteFence } from './socket-writer.ts';

/** The answer to a request a server sent us; `code` defaults to SUCCESS. */
export type Reply = Omit<Request, 'code'> & { code?: number; remark?: string };

/** Answers a request the server sends us; `undefined` means "not supported". */
export type RequestHandler = (
  cmd: RemotingCommand,
  conn: Connection,
) => Promise<Reply | undefined> | Reply | undefined;

export interface ConnectionOptions {
  connectTimeoutMs?: number;
  language?: LanguageName;
  serializeType?: SerializeTypeValue;
  onRequest?: RequestHandler;
}

interface Pending {
  resolve: (cmd: RemotingCommand) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One TCP connection to a name server or broker. Requests are multiplexed and matched to
 * responses by `opaque`; each has its own timeout. Requests the server sends are answered
 * through `onRequest` (oneway ones never are). When the socket closes every pending request
 * fails with a retriable CONNECTION_CLOSED.
 */
export class Connection extends EventEmitter<{ close: [Error | undefined] }> {
  readonly addr: string;
  readonly #socket: Socket;
  readonly #writer: SocketWriter;
  readonly #pending = new Map<number, Pending>();
  readonly #splitter = new FrameSplitter();
  readonly #language: LanguageName;
  readonly #serializeType: SerializeTypeValue;
  readonly #onRequest: RequestHandler | undefined;
  #nextOpaque = Math.floor(Math.random() * 0x3fffffff);
  #closed = false;
  #closeReason: Error | undefined;
  /** When bytes last came in: a request timing out with nothing received since is a dead peer. */
  #receivedAt = 0;

  private constructor(addr: string, socket: Socket, opts: ConnectionOptions) {
    super();
    this.addr = addr;
    this.#socket = socket;
    this.#language = opts.language ?? 'JAVA';
    this.#serializeType = opts.serializeType ?? SerializeType.JSON;
    this.#onRequest = opts.onRequest;
    this.#writer = new SocketWriter(socket, (reason) => {
      socket.destroy();
      this.#shutdown(reason);
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#shutdown(err));
    socket.on('close', () => this.#shutdown(undefined));
  }

  static connect(addr: string, opts: ConnectionOptions = {}): Promise<Connection> {
    const colon = addr.lastIndexOf(':');
    const host = addr.slice(0, colon).replace(/^\[|\]$/g, '');
    const port = Number(addr.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port)) {
      return Promise.reject(new RocketMQError('INVALID_ARGUMENT', `bad address ${JSON.stringify(addr)}`));
    }
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RocketMQError('CONNECTION_FAILED', `connect to ${addr} timed out`, { retriable: true }));
      }, opts.connectTimeoutMs ?? 3000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new Connection(addr, socket, opts));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(
          new RocketMQError('CONNECTION_FAILED', `connect to ${addr} failed: ${err.message}`, {
            retriable: true,
            cause: err,
          }),
        );
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Requests in flight on this connection. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request and resolves with its answer. With `fence`, the request is completed only if
   * the fence holds when its last byte goes to the kernel (see SocketWriter); otherwise it fails
   * with ABORTED and the server never sees all of it.
   */
  request(req: Request, timeoutMs: number, fence?: WriteFence): Promise<RemotingCommand> {
    if (this.#closed) return Promise.reject(this.#closedError());
    const opaque = this.#opaque();
    const sentAt = performance.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(opaque);
        const silent = this.#receivedAt < sentAt;
        reject(
          new RocketMQError(
            'TIMEOUT',
            `request ${req.code} to ${this.addr} timed out after ${timeoutMs} ms${silent ? ', nothing received since: connection closed' : ''}`,
            { retriable: true },
          ),
        );
        // A peer that sent nothing at all meanwhile is gone or half-open (its host died, a
        // firewall dropped the flow): TCP would keep the socket for many minutes. Close it, so
        // the next request connects afresh; a peer that answered others is only slow.
        if (silent) {
          this.#socket.destroy();
          this.#shutdown(new Error(`no answer from ${this.addr} in ${timeoutMs} ms`));
        }
      }, timeoutMs);
      this.#pending.set(opaque, { resolve, reject, timer });
      // Fails this request alone, before anything else the writer does next.
      const fail = (err: Error) => {
        if (!this.#pending.delete(opaque)) return;
        clearTimeout(timer);
        reject(err);
      };
      try {
        const parts = this.#frame({ ...req, opaque, flag: 0 });
        if (fence) this.#writer.writeFenced(parts, fence, (err) => err && fail(err));
        else this.#writer.write(parts);
      } catch (err) {
        fail(err as Error);
      }
    });
  }

  /** Sends without waiting for (or getting) an answer. */
  oneway(req: Request): void {
    if (this.#closed) throw this.#closedError();
    this.#write({ ...req, opaque: this.#opaque(), flag: FLAG_ONEWAY });
  }

  close(): void {
    this.#socket.destroy();
    this.#shutdown(undefined);
  }

  #opaque(): number {
    this.#nextOpaque = (this.#nextOpaque + 1) & 0x7fffffff;
    return this.#nextOpaque;
  }

  #write(cmd: Request & { opaque: number; flag: number; remark?: string }): void {
    this.#writer.write(this.#frame(cmd));
  }

  #frame(cmd: Request & { opaque: number; flag: number; remark?: string }): Buffer[] {
    const [head, body] = encodeFrameParts(
      {
        code: cmd.code,
        language: this.#language,
        version: CLIENT_VERSION,
        opaque: cmd.opaque,
        flag: cmd.flag,
        remark: cmd.remark,
        extFields: cmd.extFields,
        body: cmd.body,
      },
      this.#serializeType,
    );
    return body ? [head, body] : [head];
  }

  #onData(chunk: Buffer): void {
    this.#receivedAt = performance.now();
    let frames: Buffer[];
    try {
      frames = this.#splitter.push(chunk);
    } catch (err) {
      this.#socket.destroy();
      this.#shutdown(err as Error);
      return;
    }
    for (const frame of frames) {
      let cmd: RemotingCommand;
      try {
        cmd = decodeFrame(frame);
      } catch (err) {
        this.#socket.destroy();
        this.#shutdown(err as Error);
        return;
      }
      if (isResponse(cmd)) {
        const pending = this.#pending.get(cmd.opaque);
        if (!pending) continue; // answered after its timeout
        this.#pending.delete(cmd.opaque);
        clearTimeout(pending.timer);
        pending.resolve(cmd);
      } else {
        void this.#answer(cmd);
      }
    }
  }

  async #answer(cmd: RemotingCommand): Promise<void> {
    let reply: Reply | undefined;
    try {
      reply = await this.#onRequest?.(cmd, this);
    } catch (err) {
      reply = { code: ResponseCode.SYSTEM_ERROR, remark: (err as Error).message, extFields: {} };
    }
    // Never answer a oneway request; always answer a two-way one, if only with "not supported".
    if (isOneway(cmd) || this.#closed) return;
    const answer = reply ?? {
      code: ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
      remark: ` request type ${cmd.code} not supported`,
      extFields: {},
    };
    try {
      this.#write({
        code: answer.code ?? ResponseCode.SUCCESS,
        extFields: answer.extFields,
        body: answer.body,
        opaque: cmd.opaque,
        flag: FLAG_RESPONSE,
        ...(answer.remark === undefined ? {} : { remark: answer.remark }),
      });
    } catch {
      // the connection is going away; nothing to answer on
    }
  }

  #closedError(): RocketMQError {
    return new RocketMQError('CONNECTION_CLOSED', `connection to ${this.addr} is closed`, {
      retriable: true,
      cause: this.#closeReason,
    });
  }

  #shutdown(reason: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#writer.close();
    const err = this.#closedError();
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(err);
    }
    this.#pending.clear();
    this.emit('close', reason);
  }
}
