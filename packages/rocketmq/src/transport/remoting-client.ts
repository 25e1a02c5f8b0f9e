import { RocketMQError } from '../errors.ts';
import { withMissingRight } from '../protocol/acl-actions.ts';
import { type LanguageName, ResponseCode } from '../protocol/codes.ts';
import type { RemotingCommand } from '../protocol/command.ts';
import { type Credentials, signRequest } from '../protocol/signing.ts';
import { Connection, type RequestHandler } from './connection.ts';
import type { Request } from './request.ts';
import type { WriteFence } from './socket-writer.ts';

export interface RemotingClientOptions {
  /** ACL credentials; every request is signed with them when set. */
  credentials?: Credentials | undefined;
  connectTimeoutMs?: number;
  language?: LanguageName;
  /** Answers the requests brokers send to this client, by request code. */
  handlers?: ReadonlyMap<number, RequestHandler>;
}

/**
 * One connection per address, made on first use and made again after it closes; signs requests
 * when credentials are set; retries once on a fresh connection when a server that is shutting
 * down answers GO_AWAY.
 */
export class RemotingClient {
  readonly #connections = new Map<string, Promise<Connection>>();
  readonly #opts: RemotingClientOptions;
  #closed = false;

  constructor(opts: RemotingClientOptions = {}) {
    this.#opts = opts;
  }

  /** Sends a request and returns its answer; with `fence`, see Connection.request. */
  async invoke(addr: string, req: Request, timeoutMs = 3000, fence?: WriteFence): Promise<RemotingCommand> {
    const conn = await this.connection(addr);
    const response = await conn.request(this.#sign(req), timeoutMs, fence);
    if (response.code === ResponseCode.GO_AWAY) {
      conn.close();
      return withMissingRight(
        req.code,
        await (await this.connection(addr)).request(this.#sign(req), timeoutMs, fence),
      );
    }
    return withMissingRight(req.code, response);
  }

  async oneway(addr: string, req: Request): Promise<void> {
    (await this.connection(addr)).oneway(this.#sign(req));
  }

  connection(addr: string): Promise<Connection> {
    if (this.#closed) return Promise.reject(new RocketMQError('CLIENT_CLOSED', 'the client is closed'));
    let pending = this.#connections.get(addr);
    if (!pending) {
      pending = Connection.connect(addr, {
        connectTimeoutMs: this.#opts.connectTimeoutMs ?? 3000,
        language: this.#opts.language ?? 'JAVA',
        onRequest: (cmd, conn) => this.#opts.handlers?.get(cmd.code)?.(cmd, conn),
      });
      const mine = pending;
      this.#connections.set(addr, mine);
      const forget = () => {
        if (this.#connections.get(addr) === mine) this.#connections.delete(addr);
      };
      mine.then((conn) => (conn.closed ? forget() : conn.once('close', forget)), forget);
    }
    return pending;
  }

  /** Addresses with an open (or opening) connection. */
  get addresses(): string[] {
    return [...this.#connections.keys()];
  }

  close(): void {
    this.#closed = true;
    for (const pending of this.#connections.values())
      pending.then(
        (c) => c.close(),
        () => {},
      );
    this.#connections.clear();
  }

  #sign(req: Request): Request {
    const creds = this.#opts.credentials;
    if (!creds) return req;
    const extFields = { ...req.extFields };
    signRequest(extFields, req.body, creds);
    return { ...req, extFields };
  }
}
