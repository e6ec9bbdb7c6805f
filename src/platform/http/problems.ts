import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

/** A failure the caller can act on. `type` is stable and listed in docs/api.md. */
export class DomainError extends Error {
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

interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  [extra: string]: unknown
}

interface ValidationIssue {
  instancePath: string
  message?: string
  keyword: string
  params: Record<string, unknown>
}

/** Names the field each validation error is about, as a JSON pointer into the part that was wrong. */
function validationErrors(error: FastifyError): { field: string; message: string }[] {
  const part = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body'
  return (error.validation as ValidationIssue[]).map((v) => {
    const extra = v.params.missingProperty ?? v.params.additionalProperty
    const path = extra ? `${v.instancePath}/${String(extra)}` : v.instancePath
    const message = v.keyword === 'additionalProperties' ? 'is not a known field' : (v.message ?? 'is not valid')
    return { field: `${part}${path}`, message }
  })
}

function toProblem(error: FastifyError | DomainError): Problem {
  if (error instanceof DomainError) {
    return { type: error.type, title: error.title, status: error.status, ...(error.detail ? { detail: error.detail } : {}), ...error.details }
  }
  if (error.validation) {
    const errors = validationErrors(error)
    return {
      type: '/problems/invalid-request',
      title: 'The request is not valid',
      status: 400,
      detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
      errors,
    }
  }
  switch (error.code) {
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

/** The one error handler: every failure leaves as RFC 9457 problem+json, never with a stack or SQL text. */
export function sendProblem(error: FastifyError | DomainError, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(error)
  if (problem.status >= 500) request.log.error({ err: error }, 'unhandled error')
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: request.url })
}
