/**
 * One small error family with stable codes. Every error a user can meet is a
 * PatchbayError: a code, whether retrying may help, a message a user can act
 * on, and where it happened. Errors cross process boundaries (queue, worker,
 * API) as plain data through `toErrorData` / `fromErrorData`.
 */
export type ErrorCode =
  | 'flow.invalid_json'
  | 'flow.invalid'
  | 'expression.syntax'
  | 'expression.undefined_variable'
  | 'expression.type'
  | 'action.unknown'
  | 'action.param'
  | 'action.failed'
  | 'run.cancelled'
  | 'run.stopped'
  | 'run.loop_limit'
  | 'run.timeout'
  | 'connector.invalid'
  | 'connector.unknown'
  | 'connector.http'
  | 'connector.timeout'
  | 'connector.unsupported'
  | 'connection.unresolved'
  | 'connection.denied'
  | 'connection.needs_reauth'
  | 'store.not_found'
  | 'store.conflict'
  | 'store.invalid'
  | 'secrets.key'
  | 'auth.denied'
  | 'policy.invalid'
  | 'policy.violation'
  | 'internal';

/** Where an error happened, as precisely as is known. */
export interface ErrorPlace {
  /** File the error is about. */
  file?: string;
  /** JSON pointer into a flow or definition document, e.g. `/steps/2/params/value`. */
  pointer?: string;
  /** 1-based line and column in the source text. */
  line?: number;
  column?: number;
  /** A step's path in the flow (JSON pointer) and its action, for run and validation errors. */
  stepPath?: string;
  action?: string;
}

export interface ErrorData extends ErrorPlace {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  /** What the user can change to fix it. */
  hint?: string;
  /** HTTP status from a service, for connector errors. */
  status?: number;
  /** How long the service asked to wait before trying again (its `Retry-After`), for connector errors. */
  retryAfterMs?: number;
}

export class PatchbayError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly place: ErrorPlace;
  readonly hint?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    code: ErrorCode,
    message: string,
    opts: {
      place?: ErrorPlace;
      hint?: string;
      retryable?: boolean;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PatchbayError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.place = opts.place ?? {};
    this.hint = opts.hint;
    this.status = opts.status;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }

  /** A new error with more of the place filled in (keeps what is already known). */
  at(place: ErrorPlace): PatchbayError {
    const e = new PatchbayError(this.code, this.message, {
      place: { ...place, ...this.place },
      hint: this.hint,
      retryable: this.retryable,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      cause: this.cause,
    });
    return e;
  }

  toJSON(): ErrorData {
    return toErrorData(this);
  }
}

/** One line for people: place, message and hint. */
export function describeError(e: unknown): string {
  const d = toErrorData(e);
  const where: string[] = [];
  if (d.file) where.push(d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file);
  else if (d.line) where.push(`line ${d.line}, column ${d.column ?? 1}`);
  if (d.stepPath) where.push(`step ${d.stepPath}${d.action ? ` (${d.action})` : ''}`);
  else if (d.pointer) where.push(d.pointer);
  if (!d.line && d.column) where.push(`column ${d.column}`);
  return `${where.length ? where.join(', ') + ': ' : ''}${d.message}${d.hint ? ` — ${d.hint}` : ''}`;
}

export function toErrorData(e: unknown): ErrorData {
  if (e instanceof PatchbayError) {
    const d: ErrorData = { code: e.code, message: e.message, retryable: e.retryable, ...e.place };
    if (e.hint !== undefined) d.hint = e.hint;
    if (e.status !== undefined) d.status = e.status;
    if (e.retryAfterMs !== undefined) d.retryAfterMs = e.retryAfterMs;
    return d;
  }
  if (isErrorData(e)) return e;
  if (e instanceof Error && e.name === 'AbortError')
    return { code: 'run.cancelled', message: 'The run was cancelled.', retryable: false };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message, retryable: false };
}

function isErrorData(e: unknown): e is ErrorData {
  return (
    typeof e === 'object' &&
    e !== null &&
    !(e instanceof Error) &&
    typeof (e as ErrorData).code === 'string' &&
    typeof (e as ErrorData).message === 'string'
  );
}

export function fromErrorData(d: ErrorData): PatchbayError {
  const { code, message, retryable, hint, status, retryAfterMs, ...place } = d;
  return new PatchbayError(code, message, { place, hint, retryable, status, retryAfterMs });
}

export function isPatchbayError(e: unknown): e is PatchbayError {
  return e instanceof PatchbayError;
}
