import AjvCompiler, { type BuildCompilerFromPool } from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { RouteOptions } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { DomainError, type FieldError, fieldErrors } from './problems.js'

const strict = { removeAdditional: false, allErrors: true, useDefaults: true } as const

/**
 * Bodies are JSON and keep their types: `{"name": 42}` is an error, not "42". Query strings and
 * params are text on the wire, so there "20" may become 20. Unknown fields are refused everywhere.
 */
// One pool of each for the process: Fastify asks for a compiler in every plugin context, and a
// fresh pool each time compiled every shared schema again (two thirds of an app's start).
const [bodies, texts] = [AjvCompiler(), AjvCompiler()]
const buildValidator: BuildCompilerFromPool = (externalSchemas, ajvServerOptions) => {
  const plugins = (ajvServerOptions as { plugins?: [] } | undefined)?.plugins ?? []
  const body = bodies(externalSchemas, { customOptions: { ...strict, coerceTypes: false }, plugins })
  const text = texts(externalSchemas, { customOptions: { ...strict, coerceTypes: 'array' }, plugins })
  // Fastify calls the compiler with the route definition (schema, method, url, httpPart).
  type Compile = (route: unknown) => ReturnType<typeof body>
  const pick = (route: { httpPart: string }) => (route.httpPart === 'body' ? (body as Compile)(route) : (text as Compile)(route))
  return pick as unknown as ReturnType<BuildCompilerFromPool>
}

// An app compiles a validator and a serializer for each schema of each route; a process that builds
// many apps (every test file builds its own) compiled the same schemas again each time, which was most
// of an app's start. Compiled once per process instead, keyed by what the schema says (routes often
// build their schema objects afresh) and by the shared schemas' ids, in case an app adds others.
type Compiled = (...args: never[]) => unknown
const compiledOnce = new Map<string, Compiled>()
function once<R extends { schema: object }>(kind: string, externalSchemas: unknown, part: (route: R) => string, compile: (route: R) => Compiled) {
  const shared = `${kind} ${Object.keys((externalSchemas as object | undefined) ?? {})
    .sort()
    .join(' ')}`
  return (route: R) => {
    const key = `${shared} ${part(route)} ${JSON.stringify(route.schema)}`
    const known = compiledOnce.get(key)
    if (known) return known
    const compiled = compile(route)
    compiledOnce.set(key, compiled)
    return compiled
  }
}
const serializers = SerializerSelector()
const buildSerializer = (externalSchemas: unknown, options: unknown) =>
  once<{ schema: object; httpStatus: string; contentType?: string }>(
    'serializer',
    externalSchemas,
    (route) => `${route.httpStatus} ${route.contentType ?? ''}`,
    serializers(externalSchemas as never, options as never) as never,
  )
const buildCachedValidator = (externalSchemas: unknown, options: unknown) =>
  once<{ schema: object; httpPart: string }>(
    'validator',
    externalSchemas,
    (route) => route.httpPart,
    buildValidator(externalSchemas as never, options as never) as never,
  )

export const schemaController = { compilersFactory: { buildValidator: buildCachedValidator as never, buildSerializer: buildSerializer as never } }

/**
 * Query strings refuse parameters they do not name (docs/api.md promises it): a misspelt `limt`
 * is a 400, not silently the default. Routes that declare no query string take none.
 */
export function refuseUnknownQueryParameters(route: RouteOptions) {
  if (!route.url.startsWith('/v1')) return
  route.schema ??= {}
  const schema = route.schema
  const query = (schema.querystring ?? { type: 'object', properties: {} }) as Record<string, unknown>
  if (query.additionalProperties === undefined) schema.querystring = { ...query, additionalProperties: false }
}

export class DuplicateItems extends DomainError {
  constructor(field: string, value: string) {
    super(
      '/problems/duplicate-items',
      400,
      'The same item is in the request twice',
      { errors: [{ field, message: `"${value}" is in the list twice` }] },
      `"${value}" is in the list twice: send each once.`,
    )
  }
}

/** A bulk write names each key once: one statement cannot write one row twice, and which copy wins would be a guess. */
export function refuseDuplicates<T>(items: T[], key: keyof T & string, part = 'body/items') {
  const seen = new Set<unknown>()
  items.forEach((item, index) => {
    if (seen.has(item[key])) throw new DuplicateItems(`${part}/${index}/${key}`, String(item[key]))
    seen.add(item[key])
  })
}

/** A schema checked outside a request (each item of a batch, a stored document): the same `{ field, message }` errors as a request. */
export function compileChecker(schema: TSchema) {
  const compiled = Compile(schema)
  return (value: unknown, part = ''): FieldError[] => (compiled.Check(value) ? [] : fieldErrors(compiled.Errors(value), part))
}
