import { z } from 'zod'

export type Path = (string | number)[]

/** A problem in a tenant file's content, located by its path in the data. */
export interface ConfigProblem {
  path: Path
  /** What is wrong. */
  message: string
  /** What would be right. */
  expected: string
}

/** A problem located in a file, ready to print. */
export interface TenantFileProblem extends ConfigProblem {
  file: string
  /** 1-based line in the file. */
  line: number
}

/** `tracks[0].steps[2].lane`; `(document)` for the file as a whole. */
export function formatPath(path: Path): string {
  if (path.length === 0) return '(document)'
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('')
}

/** The one-line form the CLI prints: `file:LINE path: what is wrong; what is expected`. */
export function formatProblem(problem: TenantFileProblem): string {
  return `${problem.file}:${problem.line} ${formatPath(problem.path)}: ${problem.message}; expected ${problem.expected}`
}

const typeDescriptions: Partial<Record<string, string>> = {
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  array: 'a list',
  integer: 'a whole number',
}

function describeType(type: string): string {
  return typeDescriptions[type] ?? type
}

function describeReceived(received: string): string {
  return received === 'null' ? 'empty' : `${describeType(received)}`
}

/** The schema node that describes the value at `path` (wrappers removed), if the path leads anywhere. */
function schemaAt(schema: z.ZodTypeAny, path: Path, data: unknown): z.ZodTypeAny | undefined {
  let node: z.ZodTypeAny | undefined = unwrap(schema, data)
  let value = data
  for (const segment of path) {
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodTypeAny>)[segment]
    else if (node instanceof z.ZodArray) node = node.element
    else if (node instanceof z.ZodRecord) node = node.valueSchema as z.ZodTypeAny
    else return undefined
    value = (value as Record<string | number, unknown> | undefined)?.[segment]
    node = unwrap(node, value)
  }
  return node
}

/** Keys a strict object at `path` of `schema` accepts, to suggest what a misspelt key should be. */
function knownKeysAt(schema: z.ZodTypeAny, path: Path, data: unknown): string[] {
  const node = schemaAt(schema, path, data)
  return node instanceof z.ZodObject ? Object.keys(node.shape as object) : []
}

/** What a missing value should look like, in the author's terms. */
function describeExpectedAt(schema: z.ZodTypeAny, path: Path, data: unknown, fallback: string): string {
  const node = schemaAt(schema, path, data)
  if (node instanceof z.ZodRecord) return 'a text in every declared locale, e.g. { ja: …, en: … }'
  if (node instanceof z.ZodEnum) return `one of ${(node.options as string[]).join(', ')}`
  if (node instanceof z.ZodObject) return `a mapping with the fields ${Object.keys(node.shape as object).join(', ')}`
  if (node instanceof z.ZodArray) return 'a list'
  if (node instanceof z.ZodString) {
    const described = node._def.checks.find((check) => check.message !== undefined)
    if (described?.message) return described.message
  }
  return fallback
}

function unwrap(schema: z.ZodTypeAny | undefined, value: unknown): z.ZodTypeAny | undefined {
  let node = schema
  for (;;) {
    if (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap()
    else if (node instanceof z.ZodDefault) node = node.removeDefault()
    else if (node instanceof z.ZodEffects) node = node.innerType()
    else if (node instanceof z.ZodDiscriminatedUnion) {
      node = node.optionsMap.get((value as Record<string, unknown> | undefined)?.[node.discriminator] as z.Primitive)
    } else return node
  }
}

function valueAt(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, segment) => (value as Record<string | number, unknown> | undefined)?.[segment], data)
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value)
}

/** Whether zod wrote this message itself (then we phrase the expectation) or the schema gave one. */
function isCustomMessage(issue: z.ZodIssue): boolean {
  const defaultMessage = z.defaultErrorMap(issue, { defaultError: '', data: undefined }).message
  return issue.message !== defaultMessage
}

/**
 * One zod issue in the words of the tenant-file author. `data` is the raw
 * file content, used to quote the offending value.
 */
export function describeZodIssue(issue: z.ZodIssue, schema: z.ZodTypeAny, data: unknown): ConfigProblem[] {
  const value = valueAt(data, issue.path)
  const custom = isCustomMessage(issue)
  const problem = (message: string, expected: string, path: Path = issue.path): ConfigProblem[] => [{ path, message, expected }]
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') {
        return problem('required field is missing', custom ? issue.message : describeExpectedAt(schema, issue.path, data, describeType(issue.expected)))
      }
      return problem(
        `is ${describeReceived(issue.received)}`,
        custom ? issue.message : describeExpectedAt(schema, issue.path, data, describeType(issue.expected)),
      )
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, issue.path, data)
      return issue.keys.flatMap((key) =>
        problem(`unknown field "${key}"`, known.length > 0 ? `one of the fields ${known.join(', ')}` : 'no such field', [
          ...issue.path,
          key,
        ]),
      )
    }
    case 'invalid_enum_value':
      return problem(`${quote(issue.received)} is not allowed`, `one of ${issue.options.join(', ')}`)
    case 'invalid_literal':
      return problem(`${quote(value)} is not allowed`, custom ? issue.message : quote(issue.expected))
    case 'invalid_union_discriminator':
      return problem(`${quote(value)} is not allowed`, issue.message)
    case 'invalid_union': {
      // When one alternative has the right kind of value (e.g. a list), its own issues are the precise ones.
      const closest = issue.unionErrors.find((error) =>
        error.issues.every((nested) => !(nested.code === 'invalid_type' && nested.path.length === issue.path.length)),
      )
      if (closest) return closest.issues.flatMap((nested) => describeZodIssue(nested, schema, data))
      const options = issue.unionErrors.flatMap((error) => error.issues.filter((nested) => nested.path.length === issue.path.length))
      const expectations = [...new Set(options.map((nested) => (nested.code === 'invalid_type' ? describeType(nested.expected) : nested.message)))]
      return problem(`${quote(value)} is not valid`, expectations.join(' or ') || 'a valid value')
    }
    case 'invalid_string':
      // A record key (e.g. a locale code) has no value of its own to quote: quote the key.
      return problem(`${typeof value === 'string' ? quote(value) : `key ${quote(issue.path.at(-1))}`} is not valid`, issue.message)
    case 'too_small': {
      const minimum = Number(issue.minimum)
      if (issue.type === 'array') return problem(`has ${(value as unknown[]).length} item(s)`, custom ? issue.message : `at least ${minimum} item(s)`)
      if (issue.type === 'string') return problem('is empty or too short', custom ? issue.message : `at least ${minimum} character(s)`)
      return problem(`${quote(value)} is too small`, custom ? issue.message : `at least ${minimum}`)
    }
    case 'too_big': {
      const maximum = Number(issue.maximum)
      if (issue.type === 'array') return problem(`has ${(value as unknown[]).length} items`, custom ? issue.message : `at most ${maximum} item(s)`)
      if (issue.type === 'string') return problem('is too long', custom ? issue.message : `at most ${maximum} character(s)`)
      return problem(`${quote(value)} is too large`, custom ? issue.message : `at most ${maximum}`)
    }
    default:
      return problem(`${quote(value)} is not valid`, issue.message)
  }
}
