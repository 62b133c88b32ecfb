import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ERRORS } from '~/operations/app-error'
import { supportedLocales } from '~/i18n'

const localesDirectory = path.resolve('app/locales')

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix]
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key))
}

function namespace(locale: string, file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(localesDirectory, locale, file), 'utf8'))
}

const namespaceFiles = readdirSync(path.join(localesDirectory, 'ja')).filter((file) => file.endsWith('.json'))

describe('locale files', () => {
  it.each(namespaceFiles)('%s has the same keys in every language, none empty', (file) => {
    const [first, ...others] = supportedLocales.map((locale) => namespace(locale, file))
    const expected = keysOf(first).sort()
    for (const other of others) expect(keysOf(other).sort()).toEqual(expected)
    for (const locale of supportedLocales) {
      for (const key of keysOf(namespace(locale, file))) {
        const value = key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], namespace(locale, file))
        expect(value, `${locale}/${file}: ${key}`).not.toBe('')
      }
    }
  })

  it('has a message for every AppError code, in every language', () => {
    for (const locale of supportedLocales)
      for (const [code, { message }] of Object.entries(APP_ERRORS)) {
        const [file, key] = message.split(':') as [string, string]
        const value = key
          .split('.')
          .reduce<unknown>(
            (node, part) => (node as Record<string, unknown> | undefined)?.[part],
            namespace(locale, `${file}.json`),
          )
        expect(value, `${locale}: ${code} (${message})`).toBeTruthy()
      }
  })
})
