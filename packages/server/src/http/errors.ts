/**
 * Errors on the wire: every failure answers `{error: ErrorData}` with a status
 * chosen by its code. Validation errors name the field; unexpected errors are
 * logged with their stack and answered with a generic message, so no stack,
 * query or internal detail reaches a client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PatchbayError, toErrorData, type ErrorCode, type ErrorData } from '@patchbay/core';

/** HTTP status for each error code; exhaustive, so a new code cannot be forgotten. */
export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'store.not_found':
    case 'connector.unknown':
    case 'action.unknown':
      return 404;
    case 'store.conflict':
      return 409;
    case 'auth.denied':
    case 'connection.denied':
      return 403;
    case 'policy.violation':
      return 409;
    case 'flow.invalid_json':
    case 'flow.invalid':
    case 'expression.syntax':
    case 'expression.undefined_variable':
    case 'expression.type':
    case 'action.param':
    case 'connector.invalid':
    case 'connector.unsupported':
    case 'store.invalid':
    case 'policy.invalid':
      return 400;
    case 'connection.unresolved':
    case 'connection.needs_reauth':
      return 409;
    case 'connector.http':
    case 'action.failed':
      return 502;
    case 'connector.timeout':
    case 'run.timeout':
      return 504;
    case 'run.cancelled':
    case 'run.stopped':
    case 'run.loop_limit':
      return 409;
    case 'secrets.key':
    case 'internal':
      return 500;
  }
}

/** What a client sees of an error: the data without anything the server should keep to itself. */
export function publicError(d: ErrorData): ErrorData {
  if (d.code === 'internal')
    return {
      code: 'internal',
      message: 'Something went wrong on the server.',
      retryable: false,
      hint: 'Try again; if it keeps failing, the server log has the details.',
    };
  if (d.code === 'secrets.key')
    return {
      code: 'secrets.key',
      message: 'The server cannot open its stored secrets with the master key it has.',
      retryable: false,
      hint: 'Check PATCHBAY_MASTER_KEY or the key file on the server.',
    };
  return d;
}

export function sendError(reply: FastifyReply, e: unknown): FastifyReply {
  const d = publicError(toErrorData(e));
  const status = d.code === 'auth.denied' && d.status === 401 ? 401 : statusFor(d.code);
  return reply.code(status).type('application/json').send({ error: d });
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fromFastifyError(e: FastifyError): PatchbayError | undefined {
  const validation = (e as FastifyError & { validation?: ValidationIssue[]; validationContext?: string }).validation;
  if (validation && validation.length) {
    const part = (e as { validationContext?: string }).validationContext ?? 'body';
    const v = validation[0];
    const missing =
      v.keyword === 'required' && typeof v.params?.missingProperty === 'string' ? `/${v.params.missingProperty}` : '';
    const extra =
      v.keyword === 'additionalProperties' && typeof v.params?.additionalProperty === 'string'
        ? `/${v.params.additionalProperty}`
        : '';
    const pointer = `/${part}${v.instancePath ?? ''}${missing || extra}`;
    const field = pointer.split('/').filter(Boolean).join('.');
    const what =
      v.keyword === 'required'
        ? 'is required'
        : v.keyword === 'additionalProperties'
          ? 'is not a known field'
          : (v.message ?? 'is not valid');
    return new PatchbayError('store.invalid', `${field} ${what}.`, {
      place: { pointer },
      hint: 'Fix that field and send the request again (the API is described at /api/docs).',
    });
  }
  switch (e.code) {
    case 'FST_CSRF_MISSING_SECRET':
    case 'FST_CSRF_INVALID_TOKEN':
      return new PatchbayError('auth.denied', 'The CSRF token is missing or wrong.', {
        hint: 'Send the x-csrf-token header with the token from /api/auth/me or the login answer.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PatchbayError('store.invalid', 'This route does not take that content type.', {
        hint: 'Send application/json unless the API says otherwise.',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PatchbayError('store.invalid', 'The JSON body is empty.', {
        hint: 'Send a JSON object, or no content-type header when there is no body.',
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new PatchbayError('store.invalid', 'The body is not valid JSON.', { hint: 'Check the JSON syntax.' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new PatchbayError('store.invalid', 'The body is too large for this route.', {
        hint: 'Send a smaller body or file (docs/server.md lists the limits).',
      });
    default:
      break;
  }
  if (e.statusCode === 429)
    return new PatchbayError('auth.denied', 'Too many attempts; wait a minute and try again.', { retryable: true });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new PatchbayError('store.invalid', e.message);
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof PatchbayError) {
      if ((error as PatchbayError & { statusCode?: number }).statusCode === 429)
        return reply
          .code(429)
          .type('application/json')
          .send({ error: toErrorData(error) });
      return sendError(reply, error);
    }
    const known = fromFastifyError(error);
    if (known) {
      const status =
        error.statusCode === 429 || error.statusCode === 413
          ? error.statusCode
          : error.code?.startsWith('FST_CSRF')
            ? 403
            : statusFor(known.code);
      return reply
        .code(status)
        .type('application/json')
        .send({ error: toErrorData(known) });
    }
    const d = toErrorData(error);
    if (statusFor(d.code) >= 500) request.log.error({ err: error, route: request.routeOptions.url }, 'Request failed.');
    return sendError(reply, error);
  });
}
