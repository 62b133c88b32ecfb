import { dictionary } from '@zxcvbn-ts/language-common'

/**
 * Passwords anyone would try first (ASVS 5.0 V6.2.4, V6.2.11): the 49,000
 * most common passwords of breach corpora, shipped offline in
 * `@zxcvbn-ts/language-common`, compared without case; and a password that is
 * one short unit repeated (`aaaaaaaaaaaa`, `abcabcabcabc`), which no list needs
 * to hold. Server-only: the list is not sent to browsers.
 */
let common: Set<string> | undefined

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()))
  return common.has(password.toLowerCase()) || /^(.{1,3})\1+$/su.test(password)
}
