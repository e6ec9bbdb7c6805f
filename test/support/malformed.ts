/**
 * A corpus of malformed requests built from an OpenAPI document: for each operation, a request that
 * fits its schema, then the same request with one part made bad in the ways careless integrators
 * and attackers do (NUL bytes, lone surrogates, numbers no column holds, impossible dates, deep JSON,
 * duplicated items, unknown fields and parameters).
 */

type Schema = Record<string, unknown> & {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  default?: unknown
  examples?: unknown[]
  format?: string
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  maxItems?: number
  maxProperties?: number
  patternProperties?: Record<string, Schema>
  minItems?: number
  additionalProperties?: boolean | Schema
}

export interface Operation {
  method: string
  /** OpenAPI path, `/v1/members/{id}` */
  path: string
  /** Fastify route pattern, `/v1/members/:id` */
  route: string
  params: { name: string; in: string; required?: boolean; schema: Schema }[]
  body?: Schema
}

export interface MalformedRequest {
  method: string
  url: string
  payload?: string
  /** What was made bad, for the failure message. */
  case: string
}

/** Raw JSON tokens that JSON.stringify cannot write: placed as sentinels, swapped in after. */
const raw = {
  unsafeInteger: '9007199254740993',
  deep: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  deepArray: `${'['.repeat(5000)}${']'.repeat(5000)}`,
}
const sentinel = (name: keyof typeof raw) => `__raw_${name}__`
const stringify = (value: unknown) => {
  let text = JSON.stringify(value)
  for (const name of Object.keys(raw) as (keyof typeof raw)[]) text = text.replaceAll(`"${sentinel(name)}"`, raw[name])
  return text
}

const badStrings = ['a\u0000b', 'x\udfffy', 'x'.repeat(20_000), '0000-01-01T00:00:00Z', '2026-06-30T23:59:60Z', '2026-02-30']
const badNumbers = [1e20, sentinel('unsafeInteger'), 1.5, 1e308, 2147483648, -2147483649, -1]
const badAnything = [null, [], sentinel('deep')]

const badQueryValues = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '1e20',
  '9007199254740993',
  '1.5',
  '1e308',
  '-1',
  '2147483648',
  '0000-01-01T00:00:00Z',
  '2026-06-30T23:59:60Z',
  'x'.repeat(3000),
  '',
]
const cursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url')
const badCursors = [cursor([1.5]), cursor([1e308, 'x']), cursor(['0000-01-01T00:00:00Z', 'not-an-id']), cursor({}), cursor('x'), '!!!', cursor([null, null])]
const badParamValues = ['%00', '%ED%A0%80', '%E0%A4%A', 'x'.repeat(150), '1e20', '9007199254740993', '-1', '00000000-0000-0000-0000-000000000000', 'null']

export interface Fixtures {
  /** Used for uuid params and fields, so requests reach past "not found". */
  memberId: string
}

export class Corpus {
  constructor(
    private readonly document: { paths: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, Schema> } },
    private readonly fixtures: Fixtures,
    /** A valid body for operations the generic sampler cannot fill (keyed by `METHOD route`). */
    private readonly bodies: Record<string, unknown> = {},
  ) {}

  operations(): Operation[] {
    const operations: Operation[] = []
    for (const [path, methods] of Object.entries(this.document.paths)) {
      for (const [method, spec] of Object.entries(methods) as [string, Record<string, unknown>][]) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
        const content = (spec.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content
        operations.push({
          method: method.toUpperCase(),
          path,
          route: path.replace(/\{(\w+)\}/g, ':$1'),
          params: ((spec.parameters as Operation['params']) ?? []).map((p) => ({ ...p, schema: this.resolve(p.schema) })),
          body: content?.['application/json']?.schema,
        })
      }
    }
    return operations
  }

  /** The valid request, then every malformed variant of it. */
  requests(operation: Operation): MalformedRequest[] {
    const pathParams = operation.params.filter((p) => p.in === 'path')
    const queryParams = operation.params.filter((p) => p.in === 'query')
    const goodPath = Object.fromEntries(pathParams.map((p) => [p.name, encodeURIComponent(String(this.sample(p.schema)))]))
    const goodQuery = Object.fromEntries(queryParams.filter((p) => p.required).map((p) => [p.name, encodeURIComponent(String(this.sample(p.schema)))]))
    const key = `${operation.method} ${operation.route}`
    const goodBody = key in this.bodies ? this.bodies[key] : operation.body ? this.sample(operation.body) : undefined
    const url = (path: Record<string, string>, query: Record<string, string>) => {
      const filled = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => path[name])
      const search = Object.entries(query)
        .map(([k, v]) => `${k}=${v}`)
        .join('&')
      return search ? `${filled}?${search}` : filled
    }
    const payload = goodBody === undefined ? undefined : stringify(goodBody)
    const request = (what: string, changes: { path?: Record<string, string>; query?: Record<string, string>; payload?: string }) => ({
      method: operation.method,
      url: url({ ...goodPath, ...changes.path }, { ...goodQuery, ...changes.query }),
      payload: changes.payload ?? payload,
      case: what,
    })

    const requests: MalformedRequest[] = [request('as documented', {})]
    for (const p of pathParams) for (const bad of badParamValues) requests.push(request(`params.${p.name}=${bad.slice(0, 20)}`, { path: { [p.name]: bad } }))
    for (const p of queryParams) {
      const values = p.name === 'cursor' ? [...badQueryValues, ...badCursors] : badQueryValues
      for (const bad of values) requests.push(request(`query.${p.name}=${bad.slice(0, 20)}`, { query: { [p.name]: bad } }))
    }
    requests.push(request('unknown query parameter', { query: { notAParameter: '1' } }))
    if (operation.body && goodBody !== undefined) {
      for (const body of [sentinel('deep'), [], 'text', null, 1e308]) requests.push(request(`body=${String(body).slice(0, 20)}`, { payload: stringify(body) }))
      for (const [path, schema] of this.leaves(operation.body, goodBody)) {
        for (const bad of this.badValuesFor(schema)) {
          requests.push(request(`body${path.map((p) => `/${p}`).join('')}=${String(bad).slice(0, 20)}`, { payload: stringify(replaceAt(goodBody, path, bad)) }))
        }
      }
      for (const path of this.arraysOfObjects(operation.body, goodBody))
        requests.push(request(`body${path.map((p) => `/${p}`).join('')} duplicated`, { payload: stringify(duplicateAt(goodBody, path)) }))
    }
    return requests
  }

  /**
   * Fields without bounds the database can hold: text without a length limit or a pattern that
   * excludes NUL, numbers without both bounds, objects that take any key, arrays without a length limit.
   */
  unbounded(schema: Schema, where: string, seen = new Set<Schema>()): string[] {
    const s = this.resolve(schema)
    if (seen.has(s) || s.const !== undefined || s.enum) return []
    seen.add(s)
    const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]
    if (branches.length) return branches.flatMap((b) => (Object.keys(this.resolve(b)).length ? this.unbounded(b, where, seen) : []))
    const problems: string[] = []
    const types = [s.type ?? 'any'].flat()
    for (const type of types) {
      const bounded = s.maxLength !== undefined || s.format === 'uuid' || s.format === 'date-time' || s.format === 'date' || !/[*+]/.test(s.pattern ?? '*')
      if (type === 'string' && !(s.pattern && bounded) && s.format !== 'uuid' && !(s.format === 'email' && s.maxLength))
        problems.push(`${where}: text without a length limit or pattern`)
      if ((type === 'integer' || type === 'number') && (s.minimum === undefined || s.maximum === undefined))
        problems.push(`${where}: number without both bounds`)
      if (type === 'array') {
        if (s.maxItems === undefined) problems.push(`${where}: array without maxItems`)
        problems.push(...this.unbounded(s.items ?? {}, `${where}/items`, seen))
      }
      if (type === 'object') {
        // A record of free keys is fine when their number is bounded (OpenAPI shows its patternProperties as additionalProperties).
        const record = typeof s.additionalProperties === 'object' && s.maxProperties !== undefined
        if (s.additionalProperties !== false && !record) problems.push(`${where}: object that takes any field`)
        if (record) problems.push(...this.unbounded(s.additionalProperties as Schema, `${where}/*`, seen))
        for (const [name, property] of Object.entries(s.properties ?? {})) problems.push(...this.unbounded(property, `${where}/${name}`, seen))
        for (const property of Object.values((s.patternProperties ?? {}) as Record<string, Schema>))
          problems.push(...this.unbounded(property, `${where}/*`, seen))
      }
      if (type === 'any') problems.push(`${where}: any value`)
    }
    return problems
  }

  private badValuesFor(schema: Schema): unknown[] {
    const types = this.types(schema)
    const values: unknown[] = [...badAnything]
    if (types.has('string')) values.push(...badStrings, 1e20)
    if (types.has('integer') || types.has('number')) values.push(...badNumbers, '12')
    if (types.has('object') || types.size === 0) values.push({ '\u0000': 1 }, { a: sentinel('deep') })
    if (types.has('array')) values.push(Array.from({ length: 2_000 }, () => 'x'))
    return values
  }

  private types(schema: Schema): Set<string> {
    const s = this.resolve(schema)
    const types = new Set<string>([s.type ?? []].flat())
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) for (const t of this.types(branch)) types.add(t)
    return types
  }

  /** Paths to every field of the body (and of its first array items), with the field's schema. */
  private leaves(schema: Schema, value: unknown, path: (string | number)[] = []): [(string | number)[], Schema][] {
    const s = this.concrete(schema)
    if (path.length > 4) return []
    const out: [(string | number)[], Schema][] = path.length ? [[path, s]] : []
    if (s.properties) {
      const current = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>
      for (const [name, property] of Object.entries(s.properties)) out.push(...this.leaves(property, current[name] ?? this.sample(property), [...path, name]))
    } else if (s.items && Array.isArray(value) && value.length) {
      out.push(
        ...this.leaves(s.items, value[0], [...path, 0]).filter(
          ([p]) => p.length > path.length + 1 || this.concrete(s.items as Schema).properties === undefined,
        ),
      )
    }
    return out
  }

  private arraysOfObjects(schema: Schema, value: unknown, path: (string | number)[] = []): (string | number)[][] {
    const s = this.concrete(schema)
    if (s.items && Array.isArray(value) && value.length) return [path, ...this.arraysOfObjects(s.items, value[0], [...path, 0])]
    if (!s.properties || !value || typeof value !== 'object') return []
    return Object.entries(s.properties).flatMap(([name, p]) => this.arraysOfObjects(p, (value as Record<string, unknown>)[name], [...path, name]))
  }

  private resolve(schema: Schema): Schema {
    if (!schema?.$ref) return schema
    const name = schema.$ref.split('/').pop() as string
    return this.resolve(this.document.components?.schemas?.[name] ?? {})
  }

  /** The branch of a union a sample would take. */
  private concrete(schema: Schema): Schema {
    const s = this.resolve(schema)
    const branches = s.anyOf ?? s.oneOf
    if (branches) return this.concrete(branches.find((b) => this.resolve(b).type !== 'null') ?? branches[0])
    if (s.allOf) return Object.assign({}, ...s.allOf.map((b) => this.concrete(b)))
    return s
  }

  /** A value that fits the schema. */
  sample(schema: Schema): unknown {
    const s = this.concrete(schema)
    if (s.examples?.length) return s.examples[0]
    if (s.default !== undefined) return s.default
    if (s.const !== undefined) return s.const
    if (s.enum?.length) return s.enum[0]
    const type = [s.type ?? 'object'].flat().find((t) => t !== 'null')
    switch (type) {
      case 'string':
        return sampleString(s, this.fixtures)
      case 'integer':
      case 'number':
        return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? Number.MAX_SAFE_INTEGER)
      case 'boolean':
        return true
      case 'array':
        return Array.from({ length: Math.max(s.minItems ?? 1, 1) }, () => this.sample(s.items ?? {}))
      default:
        return Object.fromEntries((s.required ?? []).map((name) => [name, this.sample(s.properties?.[name] ?? {})]))
    }
  }
}

function sampleString(s: Schema, fixtures: Fixtures): string {
  switch (s.format) {
    case 'uuid':
      return fixtures.memberId
    case 'date-time':
      return '2026-10-01T10:00:00.000Z'
    case 'date':
      return '2026-10-01'
    case 'email':
      return 'corpus@example.test'
  }
  const candidates = ['x', 'abc', 'ABC', 'S01', 'GBP', 'abc_def', 'SKU-1', 'a'.repeat(s.minLength ?? 1)]
  const pattern = s.pattern ? new RegExp(s.pattern, 'u') : undefined
  const fits = candidates.find((c) => c.length >= (s.minLength ?? 0) && (!pattern || pattern.test(c)))
  return fits ?? 'x'.repeat(Math.max(s.minLength ?? 1, 1))
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v))
  const object = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>
  return { ...object, [head]: replaceAt(object[head as string], rest, replacement) }
}

function duplicateAt(value: unknown, path: (string | number)[]): unknown {
  if (path.length === 0) return Array.isArray(value) ? [...value, value[0]] : value
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? duplicateAt(v, rest) : v))
  const object = value as Record<string, unknown>
  return { ...object, [head]: duplicateAt(object[head as string], rest) }
}
