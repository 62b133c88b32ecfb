import { localize } from '@desk/tenant-config'
import type { LocalizedText } from '@desk/workflow'

/** A tenant text in the visitor's language, falling back to the city's default locale. */
export function tenantText(text: LocalizedText | undefined, locale: string, defaultLocale: string): string {
  return text ? localize(text, locale, defaultLocale) : ''
}
