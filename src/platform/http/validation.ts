import AjvCompiler, { type BuildCompilerFromPool } from '@fastify/ajv-compiler'

const strict = { removeAdditional: false, allErrors: true, useDefaults: true } as const

/**
 * Bodies are JSON and keep their types: `{"name": 42}` is an error, not "42". Query strings and
 * params are text on the wire, so there "20" may become 20. Unknown fields are refused everywhere.
 */
const buildValidator: BuildCompilerFromPool = (externalSchemas, ajvServerOptions) => {
  const plugins = (ajvServerOptions as { plugins?: [] } | undefined)?.plugins ?? []
  const body = AjvCompiler()(externalSchemas, { customOptions: { ...strict, coerceTypes: false }, plugins })
  const text = AjvCompiler()(externalSchemas, { customOptions: { ...strict, coerceTypes: 'array' }, plugins })
  // Fastify calls the compiler with the route definition (schema, method, url, httpPart).
  type Compile = (route: unknown) => ReturnType<typeof body>
  const pick = (route: { httpPart: string }) => (route.httpPart === 'body' ? (body as Compile)(route) : (text as Compile)(route))
  return pick as unknown as ReturnType<BuildCompilerFromPool>
}

export const schemaController = { compilersFactory: { buildValidator } }
