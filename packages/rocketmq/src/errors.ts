/**
 * The one error type of the client. `code` is stable and meant for programs; `responseCode` and
 * `remark` are what the server said, when it said something; `retriable` tells whether the same
 * call may succeed if tried again (on another broker, after a reconnect or a moment later).
 */
export type ErrorCode =
  | 'TIMEOUT'
  | 'CONNECTION_CLOSED'
  | 'CONNECTION_FAILED'
  | 'CLIENT_CLOSED'
  | 'ABORTED'
  | 'BROKER_ERROR'
  | 'NO_ROUTE'
  | 'NO_PERMISSION'
  | 'INVALID_ARGUMENT'
  | 'PROTOCOL_ERROR'
  | 'UNSUPPORTED';

export interface RocketMQErrorOptions {
  responseCode?: number;
  remark?: string;
  retriable?: boolean;
  cause?: unknown;
}

export class RocketMQError extends Error {
  override name = 'RocketMQError';
  readonly code: ErrorCode;
  readonly responseCode: number | undefined;
  readonly remark: string | undefined;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, opts: RocketMQErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.responseCode = opts.responseCode;
    this.remark = opts.remark;
    this.retriable = opts.retriable ?? false;
  }
}

export function isRetriable(err: unknown): boolean {
  return err instanceof RocketMQError && err.retriable;
}

/** Broker answers that refuse a send before it is stored: SYSTEM_BUSY (2), SERVICE_NOT_AVAILABLE (14). */
const REFUSED_UNSTORED = new Set([2, 14]);

/**
 * Whether a failed send was refused by the broker before anything was stored, so sending it again
 * cannot store it twice. A timeout or a lost connection is not such a case: the message may
 * have been stored without an answer.
 */
export function refusedBeforeStore(err: unknown): boolean {
  return (
    err instanceof RocketMQError && err.responseCode !== undefined && REFUSED_UNSTORED.has(err.responseCode)
  );
}
