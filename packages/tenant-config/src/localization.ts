import { localizedTextSchema, type LocalizedText } from '@desk/workflow'
import { z } from 'zod'
import type { ConfigProblem, Path } from './problems'

/**
 * The locale rule of a tenant file:
 * - every text carries the DEFAULT locale: a missing default is always an error;
 * - every text carries every other declared locale, unless that locale is
 *   listed in `fallbackLocales`, in which case the text may leave it out and
 *   `localize` shows the default locale's text instead;
 * - a text may not carry a locale the file does not declare.
 */
export interface LocaleSettings {
  locales: readonly string[]
  defaultLocale: string
  fallbackLocales: readonly string[]
}

/** A tenant text as shown, and the language it is written in (a page marks a fallback text with `lang`). */
export type ShownText = { text: string; lang: string }

/**
 * The text in `locale`, or in `defaultLocale` when the city left that
 * translation out; `lang` says which of the two it is.
 */
export function localizeWithLanguage(text: LocalizedText, locale: string, defaultLocale: string): ShownText {
  const own = text[locale]
  if (own !== undefined) return { text: own, lang: locale }
  return { text: text[defaultLocale] ?? '', lang: defaultLocale }
}

/** The text in `locale`, or in `defaultLocale` when the city left that translation out. */
export function localize(text: LocalizedText, locale: string, defaultLocale: string): string {
  return localizeWithLanguage(text, locale, defaultLocale).text
}

/** Problems of the file's locale declaration itself (default declared, no repeats, fallbacks sensible). */
export function findLocaleDeclarationProblems(settings: LocaleSettings): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const declared = settings.locales.join(', ')
  settings.locales.forEach((locale, index) => {
    if (settings.locales.indexOf(locale) !== index) {
      problems.push({
        path: ['locales', index],
        message: `locale "${locale}" is declared twice`,
        expected: 'each locale once',
      })
    }
  })
  if (!settings.locales.includes(settings.defaultLocale)) {
    problems.push({
      path: ['defaultLocale'],
      message: `default locale "${settings.defaultLocale}" is not declared in locales`,
      expected: `one of the declared locales: ${declared}`,
    })
  }
  settings.fallbackLocales.forEach((locale, index) => {
    if (locale === settings.defaultLocale) {
      problems.push({
        path: ['fallbackLocales', index],
        message: `the default locale "${locale}" cannot fall back`,
        expected: 'only non-default locales; every text needs its default-locale version',
      })
    } else if (!settings.locales.includes(locale)) {
      problems.push({
        path: ['fallbackLocales', index],
        message: `fallback locale "${locale}" is not declared in locales`,
        expected: `one of the declared locales: ${declared}`,
      })
    }
  })
  return problems
}

/** Every localized text of `data` (found by walking `schema` alongside it) checked against the locale rule. */
export function findTranslationProblems(
  schema: z.ZodTypeAny,
  data: unknown,
  settings: LocaleSettings,
): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const required = settings.locales.filter((locale) => !settings.fallbackLocales.includes(locale))
  textVisitorOf(schema)?.(data, [], (text, path) => {
    for (const locale of required) {
      if (text[locale] === undefined) {
        problems.push({
          path,
          message: `the ${locale === settings.defaultLocale ? 'default-locale ' : ''}translation "${locale}" is missing`,
          expected:
            locale === settings.defaultLocale
              ? `a text in "${locale}": the default locale is required everywhere`
              : `a text in "${locale}", or "${locale}" listed in fallbackLocales`,
        })
      }
    }
    for (const locale of Object.keys(text)) {
      if (!settings.locales.includes(locale)) {
        problems.push({
          path: [...path, locale],
          message: `locale "${locale}" is not declared`,
          expected: `one of the declared locales: ${settings.locales.join(', ')}`,
        })
      }
    }
  })
  return problems
}

/**
 * Calls `visit` for every value of `data` that the schema declares as a
 * localized text. Works on parsed data, so every value has its schema's
 * shape. `path` is a stack, copied only when a text is visited.
 */
type TextVisitor = (data: unknown, path: Path, visit: (text: LocalizedText, path: Path) => void) => void

/**
 * Visitors are built once per schema node and run for every file at
 * start-up: where the localized texts are is known from the schema, so a
 * file's walk only enters fields that can hold one and never inspects the
 * schema again. `null`: no localized text anywhere under the node.
 */
const textVisitors = new WeakMap<z.ZodTypeAny, TextVisitor | null>()

function textVisitorOf(schema: z.ZodTypeAny): TextVisitor | null {
  let visitor = textVisitors.get(schema)
  if (visitor === undefined) {
    const inner = buildTextVisitor(schema)
    visitor =
      inner &&
      ((data, path, visit) => {
        if (data !== undefined && data !== null) inner(data, path, visit)
      })
    textVisitors.set(schema, visitor)
  }
  return visitor
}

function buildTextVisitor(schema: z.ZodTypeAny): TextVisitor | null {
  if (schema === localizedTextSchema) return (data, path, visit) => visit(data as LocalizedText, [...path])
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return textVisitorOf(schema.unwrap())
  if (schema instanceof z.ZodDefault) return textVisitorOf(schema.removeDefault())
  if (schema instanceof z.ZodEffects) return textVisitorOf(schema.innerType())
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries(schema.shape as Record<string, z.ZodTypeAny>).flatMap(([key, field]) => {
      const visitor = textVisitorOf(field)
      return visitor ? [{ key, visitor }] : []
    })
    if (fields.length === 0) return null
    return (data, path, visit) => {
      const record = data as Record<string, unknown>
      for (const { key, visitor } of fields) {
        path.push(key)
        visitor(record[key], path, visit)
        path.pop()
      }
    }
  }
  if (schema instanceof z.ZodArray) {
    const element = textVisitorOf(schema.element as z.ZodTypeAny)
    if (!element) return null
    return (data, path, visit) => {
      const items = data as unknown[]
      for (let index = 0; index < items.length; index++) {
        path.push(index)
        element(items[index], path, visit)
        path.pop()
      }
    }
  }
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const discriminator = schema.discriminator
    const options = new Map<z.Primitive, TextVisitor | null>()
    for (const [value, option] of schema.optionsMap) options.set(value, textVisitorOf(option))
    if ([...options.values()].every((visitor) => visitor === null)) return null
    return (data, path, visit) =>
      options.get((data as Record<string, z.Primitive>)[discriminator])?.(data, path, visit)
  }
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as z.ZodTypeAny[]
    if (options.every((option) => textVisitorOf(option) === null)) return null
    return (data, path, visit) => {
      const option = options.find((candidate) => candidate.safeParse(data).success)
      if (option) textVisitorOf(option)?.(data, path, visit)
    }
  }
  return null
}
