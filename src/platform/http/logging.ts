import type { FastifyReply, FastifyRequest } from 'fastify'

/** Query parameters whose values say nothing about a person; every other value is logged as [redacted]. */
const plainParameters = new Set([
  'limit',
  'cursor',
  'months',
  'format',
  'store',
  'channel',
  'kind',
  'quarter',
  'segment',
  'status',
  'from',
  'to',
  'minScore',
  'maxScore',
  'dimension',
])
const redacted = '[redacted]'

/** A URL fit for the logs: the path (ids only) and query names, but not a looked-up card, phone, email or search. */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const [name] = pair.split('=', 1)
      return plainParameters.has(decodeURIComponent(name)) ? pair : `${name}=${redacted}`
    })
  return `${url.slice(0, at)}?${query.join('&')}`
}

// drizzle puts the parameters in the message ("Failed query: …\nparams: a,b,c"): keep only the SQL.
// PostgreSQL quotes the value it refused (`invalid input syntax for type uuid: "ada@…"`): drop it too.
const withoutParameters = (text: string | undefined) =>
  text?.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, '\nparams: [redacted]').replace(/: "(?:[^"\\]|\\.)*"(?=\n|$)/gm, ': [redacted]')

interface LoggedError {
  type: string
  message: string | undefined
  stack: string | undefined
  code?: unknown
  statusCode?: unknown
  query?: unknown
  cause?: LoggedError
}

/**
 * An error as logged: its kind, message, stack, SQL text and database error code, never the
 * query's parameters or the database's `detail` ("Key (email)=(ada@…) already exists"), which
 * carry password and key hashes and personal data.
 */
export function loggableError(error: unknown, depth = 0): LoggedError | undefined {
  if (!(error instanceof Error) || depth > 3) return undefined
  const fields = error as Error & { code?: unknown; statusCode?: unknown; query?: unknown; constraint?: unknown }
  return {
    type: error.constructor.name,
    message: withoutParameters(error.message),
    stack: withoutParameters(error.stack),
    ...(fields.code === undefined ? {} : { code: fields.code }),
    ...(fields.statusCode === undefined ? {} : { statusCode: fields.statusCode }),
    ...(typeof fields.query === 'string' ? { query: fields.query } : {}),
    ...(fields.constraint === undefined ? {} : { constraint: fields.constraint }),
    ...(error.cause ? { cause: loggableError(error.cause, depth + 1) } : {}),
  }
}

/** pino options for the service: secrets and personal data stay out of every log line. */
export function loggerOptions(logger: boolean | object | undefined, level: string): false | object {
  if (logger === false) return false
  return {
    level,
    ...(typeof logger === 'object' ? logger : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.passwordHash',
        '*.keyHash',
        '*.token',
      ],
      censor: redacted,
    },
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, url: loggableUrl(request.url), host: request.host, remoteAddress: request.ip }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
      err: (error: unknown) => loggableError(error),
    },
  }
}

/** Each request's one info line: what was asked, the answer's status and how long it took. */
export async function logRequest(request: FastifyRequest, reply: FastifyReply) {
  const took = Math.round(reply.elapsedTime)
  request.log.info({ req: request, res: reply, responseTime: took }, `${request.method} ${loggableUrl(request.url)} ${reply.statusCode} ${took} ms`)
}
