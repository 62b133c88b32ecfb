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

/** The text in `locale`, or in `defaultLocale` when the city left that translation out. */
export function localize(text: LocalizedText, locale: string, defaultLocale: string): string {
  return text[locale] ?? text[defaultLocale] ?? ''
}

/** Problems of the file's locale declaration itself (default declared, no repeats, fallbacks sensible). */
export function findLocaleDeclarationProblems(settings: LocaleSettings): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const declared = settings.locales.join(', ')
  settings.locales.forEach((locale, index) => {
    if (settings.locales.indexOf(locale) !== index) {
      problems.push({ path: ['locales', index], message: `locale "${locale}" is declared twice`, expected: 'each locale once' })
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
export function findTranslationProblems(schema: z.ZodTypeAny, data: unknown, settings: LocaleSettings): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const required = settings.locales.filter((locale) => !settings.fallbackLocales.includes(locale))
  visitLocalizedTexts(schema, data, [], (text, path) => {
    for (const locale of required) {
      if (text[locale] === undefined) {
        problems.push({
          path,
          message: `the ${locale === settings.defaultLocale ? 'default-locale ' : ''}translation "${locale}" is missing`,
          expected:
            locale === settings.defaultLocale
              ? `a "${locale}" text: the default locale is required everywhere`
              : `a "${locale}" text, or "${locale}" listed in fallbackLocales`,
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

/** The schema nested inside a wrapper or container, for walking schemas and data together. */
function childSchemas(schema: z.ZodTypeAny): z.ZodTypeAny[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return [schema.unwrap()]
  if (schema instanceof z.ZodDefault) return [schema.removeDefault()]
  if (schema instanceof z.ZodEffects) return [schema.innerType()]
  if (schema instanceof z.ZodObject) return Object.values(schema.shape as Record<string, z.ZodTypeAny>)
  if (schema instanceof z.ZodArray) return [schema.element]
  if (schema instanceof z.ZodDiscriminatedUnion || schema instanceof z.ZodUnion) return [...(schema.options as z.ZodTypeAny[])]
  return []
}

const holdsLocalizedText = new WeakMap<z.ZodTypeAny, boolean>()

/** Whether any value under `schema` is a localized text; lets the walk skip ids, enums and numbers. */
function containsLocalizedText(schema: z.ZodTypeAny): boolean {
  let known = holdsLocalizedText.get(schema)
  if (known === undefined) {
    known = schema === localizedTextSchema || childSchemas(schema).some(containsLocalizedText)
    holdsLocalizedText.set(schema, known)
  }
  return known
}

/**
 * Calls `visit` for every value of `data` that `schema` declares as a
 * localized text. Works on parsed data, so every value has its schema's
 * shape. `path` is a stack, copied only when a text is visited: the walk
 * runs for every file at start-up and must stay cheap.
 */
function visitLocalizedTexts(
  schema: z.ZodTypeAny,
  data: unknown,
  path: Path,
  visit: (text: LocalizedText, path: Path) => void,
): void {
  if (data === undefined || data === null || !containsLocalizedText(schema)) return
  if (schema === localizedTextSchema) {
    visit(data as LocalizedText, [...path])
  } else if (schema instanceof z.ZodObject) {
    const record = data as Record<string, unknown>
    for (const [key, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) {
      path.push(key)
      visitLocalizedTexts(fieldSchema, record[key], path, visit)
      path.pop()
    }
  } else if (schema instanceof z.ZodArray) {
    ;(data as unknown[]).forEach((item, index) => {
      path.push(index)
      visitLocalizedTexts(schema.element, item, path, visit)
      path.pop()
    })
  } else if (schema instanceof z.ZodDiscriminatedUnion) {
    const option = schema.optionsMap.get((data as Record<string, unknown>)[schema.discriminator] as z.Primitive)
    if (option) visitLocalizedTexts(option, data, path, visit)
  } else if (schema instanceof z.ZodUnion) {
    const option = (schema.options as z.ZodTypeAny[]).find((candidate) => candidate.safeParse(data).success)
    if (option) visitLocalizedTexts(option, data, path, visit)
  } else {
    for (const inner of childSchemas(schema)) visitLocalizedTexts(inner, data, path, visit)
  }
}
