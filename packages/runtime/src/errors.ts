/**
 * The runtime's errors: a stable `code` for programs, a message for people, whether retrying can
 * help, and the cause. One table maps codes to HTTP statuses (Kafka Connect's exception mapper).
 */
export type SluiceErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_CONFIG'
  | 'UNKNOWN_PLUGIN'
  | 'AMBIGUOUS_PLUGIN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'UNAVAILABLE'
  | 'BAD_RECORD'
  | 'INTERNAL';

export class SluiceError extends Error {
  override name = 'SluiceError';
  readonly code: SluiceErrorCode;
  readonly retriable: boolean;
  /** Per-field problems of an invalid config. */
  readonly issues: readonly { field: string; message: string }[];

  constructor(
    code: SluiceErrorCode,
    message: string,
    opts: {
      retriable?: boolean;
      cause?: unknown;
      issues?: readonly { field: string; message: string }[];
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retriable = opts.retriable ?? false;
    this.issues = opts.issues ?? [];
  }
}

export const HTTP_STATUS: Readonly<Record<SluiceErrorCode, number>> = {
  BAD_REQUEST: 400,
  INVALID_CONFIG: 400,
  UNKNOWN_PLUGIN: 400,
  AMBIGUOUS_PLUGIN: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  // A task fails with it (errors.tolerance=none); no request answers with it, but every code maps.
  BAD_RECORD: 422,
  INTERNAL: 500,
};

/** Any error as a SluiceError: ours as they are, anything else INTERNAL with it as the cause. */
export function asSluiceError(err: unknown): SluiceError {
  if (err instanceof SluiceError) return err;
  return new SluiceError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
}
