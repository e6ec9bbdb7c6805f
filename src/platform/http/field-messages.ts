import { patternMessages } from './schemas.js'

/** One refusal of one field: `field` is a JSON pointer for programs, `message` is for the person who typed it. */
export interface FieldError {
  field: string
  message: string
}

/** One finding of a schema check: Fastify's Ajv and TypeBox's compiled checkers both report these. */
export interface ValidationIssue {
  instancePath: string
  message?: string
  keyword: string
  params: Record<string, unknown>
}

const parts = new Set(['body', 'querystring', 'params', 'headers'])

/**
 * The field a pointer names, as a person calls it: `body/lines/0/unitPrice` → "Unit price (item 1)",
 * `headers/idempotency-key` → "Idempotency key". Never the pointer itself.
 */
export function fieldWords(pointer: string): string {
  const segments = pointer.split('/').filter((s) => s && !parts.has(s))
  const name = segments.filter((s) => !/^\d+$/.test(s)).at(-1)
  const index = segments.findLast((s) => /^\d+$/.test(s))
  const words = (name ?? 'this')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase()
  const said = words.charAt(0).toUpperCase() + words.slice(1)
  return index === undefined ? said : `${said} (item ${Number(index) + 1})`
}

const formats: Record<string, (name: string) => string> = {
  email: () => "That email doesn't look right",
  uuid: (name) => `${name} doesn't look like one of our ids`,
  date: (name) => `${name} should be a date like 2026-12-03`,
  'date-time': (name) => `${name} should be a date and time like 2026-12-03T15:30:00Z`,
  uri: (name) => `${name} should be a web address starting with https://`,
  url: (name) => `${name} should be a web address starting with https://`,
}

const types: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'yes or no (true or false)',
  array: 'a list',
  object: 'a set of fields',
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`
const either = (values: unknown[]) => {
  const said = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
  return said.length <= 1 ? (said[0] ?? '') : `${said.slice(0, -1).join(', ')} or ${said.at(-1)}`
}

/** What is wrong with a field, in words, for one finding; undefined for findings another one says better. */
function sentence(issue: ValidationIssue, name: string): string | undefined {
  const p = issue.params
  const limit = Number(p.limit)
  switch (issue.keyword) {
    case 'required':
      return `${name} is required`
    case 'additionalProperties':
      return `${name} is not a field we know`
    case 'format':
      return (formats[String(p.format)] ?? ((n: string) => `${n} doesn't look right`))(name)
    case 'pattern':
      return patternMessages[String(p.pattern)]?.(name) ?? `${name} isn't in a form we can read`
    case 'minLength':
      return limit <= 1 ? `${name} can't be empty` : `${name} needs at least ${plural(limit, 'character')}`
    case 'maxLength':
      return `${name} can be at most ${plural(limit, 'character')}`
    case 'minimum':
      return `${name} must be at least ${limit.toLocaleString('en-GB')}`
    case 'exclusiveMinimum':
      return `${name} must be more than ${limit.toLocaleString('en-GB')}`
    case 'maximum':
      return `${name} can be at most ${limit.toLocaleString('en-GB')}`
    case 'exclusiveMaximum':
      return `${name} must be less than ${limit.toLocaleString('en-GB')}`
    case 'minItems':
      return limit <= 1 ? `${name} needs at least one entry` : `${name} needs at least ${plural(limit, 'entry', 'entries')}`
    case 'maxItems':
      return `${name} can have at most ${plural(limit, 'entry', 'entries')}`
    case 'uniqueItems':
      return `${name} lists the same entry twice`
    case 'minProperties':
      return 'Send at least one field to change'
    case 'maxProperties':
      return `${name} has too many entries (at most ${limit.toLocaleString('en-GB')})`
    case 'enum':
      return `${name} should be ${either((p.allowedValues as unknown[]) ?? [])}`
    case 'const':
      return `${name} should be ${either([p.allowedValue])}`
    case 'type':
      return p.type === 'null' ? undefined : `${name} should be ${types[String(p.type)] ?? String(p.type)}`
    case 'anyOf':
    case 'oneOf':
      return `${name} isn't one of the values we take`
    default:
      return `${name} isn't valid`
  }
}

/**
 * The one way a validation error becomes `{ field, message }`, whichever checker found it: the field
 * is a JSON pointer under the part that was wrong (`body/lines/0/sku`), for programs and for the web
 * app to mark the input; the message is one sentence in people's words ("That email doesn't look
 * right"), one per field, with no pointer in it.
 */
export function fieldErrors(issues: Iterable<ValidationIssue>, part = ''): FieldError[] {
  const byField = new Map<string, { issues: ValidationIssue[]; name: string }>()
  for (const issue of issues) {
    // Ajv names one missing or unknown property; TypeBox lists them all.
    const p = issue.params
    const named = [p.missingProperty ?? p.additionalProperty ?? p.requiredProperties ?? p.additionalProperties ?? []]
      .flat()
      .filter((n): n is string => typeof n === 'string')
    const at = `${part}${issue.instancePath}`
    for (const field of named.length ? named.map((name) => `${at}/${name}`) : [at || '/']) {
      const entry = byField.get(field) ?? { issues: [], name: fieldWords(field) }
      entry.issues.push(issue)
      byField.set(field, entry)
    }
  }
  return [...byField].map(([field, { issues: found, name }]) => ({ field, message: messageFor(found, name) }))
}

/** One sentence for a field with several findings: a union's branches say one thing, the most telling finding wins. */
function messageFor(found: ValidationIssue[], name: string): string {
  const consts = found.filter((i) => i.keyword === 'const').map((i) => i.params.allowedValue)
  if (consts.length > 1) return `${name} should be ${either(consts)}`
  const telling = found.filter((i) => i.keyword !== 'anyOf' && i.keyword !== 'oneOf' && !(i.keyword === 'type' && i.params.type === 'null'))
  // A format says more than the pattern that backs it (a timestamp has both).
  const best = telling.find((i) => i.keyword === 'format') ?? telling[0] ?? found[0]
  return sentence(best, name) ?? `${name} isn't valid`
}

/** Sentences for the `detail` of a problem: the messages, never the pointers. */
export const inWords = (errors: FieldError[]) => errors.map((e) => (/[.!?]$/.test(e.message) ? e.message : `${e.message}.`)).join(' ')
