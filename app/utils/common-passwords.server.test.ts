import { describe, expect, it } from 'vitest'
import { isCommonPassword } from './common-passwords.server'

describe('isCommonPassword', () => {
  it('refuses listed passwords of any case, and one short unit repeated', () => {
    for (const password of [
      'password123',
      'QwertyUiop',
      '1q2w3e4r5t',
      'iloveyou123',
      'aaaaaaaaaaaa',
      'abcabcabcabc',
      'ああああああああああ',
    ])
      expect(isCommonPassword(password), password).toBe(true)
  })

  it('accepts a passphrase of ordinary words', () => {
    for (const password of ['correct horse battery staple', 'demo-pass-2026', '駅前のにぎわいを取り戻す2026'])
      expect(isCommonPassword(password), password).toBe(false)
  })
})
