import { z } from 'zod'

/** What a compiled schema returns for a value zod would reject. */
export const REJECTED: unique symbol = Symbol('rejected')

/** The parsed value (defaults applied, unknown keys of non-strict objects stripped), or REJECTED. */
export type CompiledParser = (value: unknown) => unknown

/**
 * Turns a zod (v3) schema into plain closures that accept exactly the values
 * `schema.safeParse` accepts and return the same data, without building
 * issues, contexts and paths on the way. Loading a tenant file spends most of
 * its zod time on that bookkeeping, which only a rejected file needs: a
 * rejected value goes back to `safeParse`, whose issues are then reported.
 *
 * Each schema node follows zod's own `_parse` rules (see zod/v3/types.js);
 * any node or check not handled here is parsed by zod itself, so the result
 * never differs from zod's (compiled-schema.test.ts compares them).
 */
export function compileSchema(schema: z.ZodTypeAny): CompiledParser {
  return compile(schema, new Map())
}

/** Memoised by node: shared schemas (e.g. every localized text) are compiled once. */
function compile(schema: z.ZodTypeAny, compiled: Map<z.ZodTypeAny, CompiledParser>): CompiledParser {
  let parser = compiled.get(schema)
  if (!parser) {
    parser = build(schema, (inner) => compile(inner, compiled))
    compiled.set(schema, parser)
  }
  return parser
}

function build(schema: z.ZodTypeAny, compileInner: (schema: z.ZodTypeAny) => CompiledParser): CompiledParser {
  if (schema instanceof z.ZodString) return buildString(schema)
  if (schema instanceof z.ZodNumber) return buildNumber(schema)
  if (schema instanceof z.ZodBoolean && !schema._def.coerce) {
    return (value) => (typeof value === 'boolean' ? value : REJECTED)
  }
  if (schema instanceof z.ZodLiteral) {
    const literal: unknown = schema._def.value
    return (value) => (value === literal ? value : REJECTED)
  }
  if (schema instanceof z.ZodEnum) {
    const options = new Set<unknown>(schema.options as string[])
    return (value) => (typeof value === 'string' && options.has(value) ? value : REJECTED)
  }
  if (schema instanceof z.ZodOptional) {
    const inner = compileInner(schema.unwrap())
    return (value) => (value === undefined ? undefined : inner(value))
  }
  if (schema instanceof z.ZodNullable) {
    const inner = compileInner(schema.unwrap())
    return (value) => (value === null ? null : inner(value))
  }
  if (schema instanceof z.ZodDefault) {
    const inner = compileInner(schema.removeDefault())
    const defaultValue = schema._def.defaultValue
    return (value) => inner(value === undefined ? defaultValue() : value)
  }
  if (schema instanceof z.ZodArray) return buildArray(schema, compileInner)
  if (schema instanceof z.ZodObject) return buildObject(schema, compileInner)
  if (schema instanceof z.ZodRecord) return buildRecord(schema, compileInner)
  if (schema instanceof z.ZodUnion) {
    const options = (schema.options as z.ZodTypeAny[]).map(compileInner)
    // zod returns the first option that accepts the value.
    return (value) => {
      for (const option of options) {
        const parsed = option(value)
        if (parsed !== REJECTED) return parsed
      }
      return REJECTED
    }
  }
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const discriminator = schema.discriminator
    const options = new Map([...schema.optionsMap].map(([key, option]) => [key, compileInner(option)]))
    return (value) => {
      if (!isPlainObject(value)) return byZod(schema, value)
      const option = options.get((value as Record<string, z.Primitive>)[discriminator])
      return option ? option(value) : REJECTED
    }
  }
  return (value) => byZod(schema, value)
}

function byZod(schema: z.ZodTypeAny, value: unknown): unknown {
  const parsed = schema.safeParse(value)
  return parsed.success ? parsed.data : REJECTED
}

/** What zod calls an object (not an array, null, Map, Set, Date or promise), for the values YAML produces. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function buildString(schema: z.ZodString): CompiledParser {
  const { checks, coerce } = schema._def
  if (coerce || checks.some((check) => check.kind !== 'min' && check.kind !== 'max' && check.kind !== 'regex')) {
    return (value) => byZod(schema, value)
  }
  const tests = checks.map((check): ((value: string) => boolean) => {
    if (check.kind === 'min') return (value) => value.length >= check.value
    if (check.kind === 'max') return (value) => value.length <= check.value
    const regex = (check as Extract<z.ZodStringCheck, { kind: 'regex' }>).regex
    return (value) => {
      regex.lastIndex = 0
      return regex.test(value)
    }
  })
  return (value) => (typeof value === 'string' && tests.every((test) => test(value)) ? value : REJECTED)
}

function buildNumber(schema: z.ZodNumber): CompiledParser {
  const { checks, coerce } = schema._def
  if (coerce || checks.some((check) => check.kind !== 'int' && check.kind !== 'min' && check.kind !== 'max')) {
    return (value) => byZod(schema, value)
  }
  const tests = checks.map((check): ((value: number) => boolean) => {
    if (check.kind === 'int') return (value) => Number.isInteger(value)
    const { value: bound, inclusive } = check as Extract<z.ZodNumberCheck, { kind: 'min' | 'max' }>
    if (check.kind === 'min') return inclusive ? (value) => value >= bound : (value) => value > bound
    return inclusive ? (value) => value <= bound : (value) => value < bound
  })
  return (value) =>
    typeof value === 'number' && !Number.isNaN(value) && tests.every((test) => test(value)) ? value : REJECTED
}

function buildArray(schema: z.ZodArray<z.ZodTypeAny>, compileInner: (schema: z.ZodTypeAny) => CompiledParser): CompiledParser {
  const element = compileInner(schema.element)
  const { minLength, maxLength, exactLength } = schema._def
  return (value) => {
    if (!Array.isArray(value)) return REJECTED
    if (minLength && value.length < minLength.value) return REJECTED
    if (maxLength && value.length > maxLength.value) return REJECTED
    if (exactLength && value.length !== exactLength.value) return REJECTED
    const parsed: unknown[] = new Array<unknown>(value.length)
    for (let index = 0; index < value.length; index++) {
      const item = element(value[index])
      if (item === REJECTED) return REJECTED
      parsed[index] = item
    }
    return parsed
  }
}

function buildObject(
  schema: z.ZodObject<z.ZodRawShape>,
  compileInner: (schema: z.ZodTypeAny) => CompiledParser,
): CompiledParser {
  const { unknownKeys, catchall } = schema._def
  const keys = Object.keys(schema.shape)
  if (!(catchall instanceof z.ZodNever) || unknownKeys === 'passthrough' || keys.includes('__proto__')) {
    return (value) => byZod(schema, value)
  }
  const fields = keys.map((key) => ({ key, parse: compileInner(schema.shape[key] as z.ZodTypeAny) }))
  const known = new Set(keys)
  const strict = unknownKeys === 'strict'
  return (value) => {
    if (!isPlainObject(value)) return typeof value === 'object' && value !== null ? byZod(schema, value) : REJECTED
    if (strict) {
      for (const key in value) if (!known.has(key)) return REJECTED
    }
    const parsed: Record<string, unknown> = {}
    for (const { key, parse } of fields) {
      const field = parse(value[key])
      if (field === REJECTED) return REJECTED
      // zod keeps a key the input has even when its value parses to undefined.
      if (field !== undefined || key in value) parsed[key] = field
    }
    return parsed
  }
}

function buildRecord(
  schema: z.ZodRecord<z.ZodTypeAny, z.ZodTypeAny>,
  compileInner: (schema: z.ZodTypeAny) => CompiledParser,
): CompiledParser {
  const parseKey = compileInner(schema.keySchema)
  const parseValue = compileInner(schema.valueSchema)
  return (value) => {
    if (!isPlainObject(value)) return typeof value === 'object' && value !== null ? byZod(schema, value) : REJECTED
    const parsed: Record<string, unknown> = {}
    for (const key in value) {
      const parsedKey = parseKey(key)
      const parsedValue = parseValue(value[key])
      if (parsedKey === REJECTED || parsedValue === REJECTED) return REJECTED
      if (parsedKey !== '__proto__') parsed[parsedKey as string] = parsedValue
    }
    return parsed
  }
}
