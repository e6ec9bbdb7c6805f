import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { type FieldError, fieldErrors, inWords, type ValidationIssue } from './field-messages.js'

/** A failure the caller can act on. `type` is stable and listed in docs/api.md. */
export class DomainError extends Error {
  /** Response headers the problem carries (a 429's retry-after). */
  readonly headers?: Record<string, string>
  constructor(
    readonly type: string,
    readonly status: number,
    readonly title: string,
    readonly details: Record<string, unknown> = {},
    readonly detail?: string,
  ) {
    super(title)
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id?: string) {
    super('/problems/not-found', 404, `${what} not found`, id ? { id } : {}, `No ${what.toLowerCase()} ${id ? `with id ${id} ` : ''}is visible to you.`)
  }
}

export class Unauthenticated extends DomainError {
  constructor(detail = 'Log in, or send an API key as "Authorization: Bearer <key>".') {
    super('/problems/unauthenticated', 401, 'Authentication required', {}, detail)
  }
}

export class Forbidden extends DomainError {
  constructor(detail: string) {
    super('/problems/forbidden', 403, 'Not allowed', {}, detail)
  }
}

export class Conflict extends DomainError {
  constructor(detail: string, details: Record<string, unknown> = {}) {
    super('/problems/conflict', 409, 'Already exists', details, detail)
  }
}

/** A retry must repeat its request: the same idempotency key with another body is refused, not replayed. */
export class IdempotencyKeyReused extends DomainError {
  constructor(detail: string, field: string) {
    super('/problems/idempotency-key-reused', 409, 'This idempotency key was used for a different request', { field }, detail)
  }
}

interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  [extra: string]: unknown
}

export { type FieldError, fieldErrors, fieldWords, inWords, type ValidationIssue } from './field-messages.js'

/** What a route calls a request that fails its schema, when it is more than "the request is not valid" (a rule, the settings). */
export interface InvalidRequestProblem {
  type: string
  title: string
  /** Says the errors the route's own way (a rule's fields by the builder's names); the fields stay as they are. */
  reword?: (errors: FieldError[]) => FieldError[]
}

declare module 'fastify' {
  interface FastifyContextConfig {
    invalidRequest?: InvalidRequestProblem
  }
}

function toProblem(error: FastifyError | DomainError, request: FastifyRequest): Problem {
  if (error instanceof DomainError) {
    return { type: error.type, title: error.title, status: error.status, ...(error.detail ? { detail: error.detail } : {}), ...error.details }
  }
  if (error.validation) {
    const part = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body'
    const { reword, ...problem } = request.routeOptions.config?.invalidRequest ?? { type: '/problems/invalid-request', title: 'The request is not valid' }
    const found = fieldErrors(error.validation as ValidationIssue[], part)
    const errors = reword ? reword(found) : found
    return {
      ...problem,
      status: 400,
      detail: inWords(errors),
      errors,
    }
  }
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return { type: '/problems/malformed-url', title: 'The URL is not valid', status: 400, detail: 'A part of the path is not valid percent-encoded UTF-8.' }
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { type: '/problems/url-too-long', title: 'A part of the URL is too long', status: 414, detail: 'Path parts are at most 100 characters.' }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        type: '/problems/malformed-json',
        title: 'The body is not valid JSON',
        status: 400,
        detail: 'Send a JSON document with Content-Type: application/json.',
      }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { type: '/problems/body-too-large', title: 'The body is too large', status: 413, detail: error.message }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { type: '/problems/unsupported-media-type', title: 'Unsupported content type', status: 415, detail: 'Send application/json.' }
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return {
      type: '/problems/malformed-json',
      title: 'The body is not valid JSON',
      status: 400,
      detail: 'Send a JSON document with Content-Type: application/json.',
    }
  }
  // A unique index said no: a duplicate, whichever write hit it. The constraint's name tells no secrets.
  if ((error as { code?: string }).code === '23505') {
    return { type: '/problems/conflict', title: 'Already exists', status: 409, detail: 'Something with the same unique value already exists.' }
  }
  if (error.statusCode === 429) {
    return { type: '/problems/too-many-requests', title: 'Too many requests', status: 429, detail: error.message }
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { type: 'about:blank', title: error.message, status: error.statusCode }
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side; the request id is in the response headers.',
  }
}

/** Problems about the URL itself: the answer does not repeat it (it may be the attack). */
const aboutTheUrl = new Set(['/problems/malformed-url', '/problems/url-too-long'])

/**
 * The one error handler: every failure leaves as RFC 9457 problem+json, never with a stack or SQL text.
 * Also Fastify's `frameworkErrors` handler, for URLs its router cannot read.
 */
export function sendProblem(error: FastifyError | DomainError, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(error, request)
  if (problem.status >= 500) request.log.error({ err: error }, 'unhandled error')
  if (error instanceof DomainError && error.headers) reply.headers(error.headers)
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send(aboutTheUrl.has(problem.type) ? problem : { ...problem, instance: request.url })
}

/**
 * Node's own answers to requests it cannot parse (headers too large, a broken request line, a
 * client too slow), as problem+json. Fastify's default writes plain JSON.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, type, title] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, '/problems/headers-too-large', 'The request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, '/problems/request-timeout', 'The request took too long to arrive']
        : [400, '/problems/malformed-request', 'The request is not valid HTTP']
  const body = JSON.stringify({ type, title, status })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}
