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

/**
 * Calls `visit` for every value of `data` that `schema` declares as a
 * localized text. Works on parsed data, so every value has its schema's shape.
 */
function visitLocalizedTexts(
  schema: z.ZodTypeAny,
  data: unknown,
  path: Path,
  visit: (text: LocalizedText, path: Path) => void,
): void {
  if (data === undefined || data === null) return
  if (schema === localizedTextSchema) {
    visit(data as LocalizedText, path)
    return
  }
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    visitLocalizedTexts(schema.unwrap(), data, path, visit)
  } else if (schema instanceof z.ZodDefault) {
    visitLocalizedTexts(schema.removeDefault(), data, path, visit)
  } else if (schema instanceof z.ZodEffects) {
    visitLocalizedTexts(schema.innerType(), data, path, visit)
  } else if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodTypeAny>
    const record = data as Record<string, unknown>
    for (const [key, fieldSchema] of Object.entries(shape)) {
      visitLocalizedTexts(fieldSchema, record[key], [...path, key], visit)
    }
  } else if (schema instanceof z.ZodArray) {
    ;(data as unknown[]).forEach((item, index) => visitLocalizedTexts(schema.element, item, [...path, index], visit))
  } else if (schema instanceof z.ZodDiscriminatedUnion) {
    const option = schema.optionsMap.get((data as Record<string, unknown>)[schema.discriminator] as z.Primitive)
    if (option) visitLocalizedTexts(option, data, path, visit)
  } else if (schema instanceof z.ZodUnion) {
    const option = (schema.options as z.ZodTypeAny[]).find((candidate) => candidate.safeParse(data).success)
    if (option) visitLocalizedTexts(option, data, path, visit)
  }
}
