import { expect, test } from '@playwright/test'
import { freshAddress, send, signUpForm } from './auth-http'

/** Issue 17, finding 10: a password from the common-password list, or one character repeated, is refused. */
test('sign-up refuses common and repeated passwords of the required length, and says why', async () => {
  for (const password of ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop']) {
    const response = await send({
      path: '/sign-up',
      form: signUpForm(`common-${Date.now()}@example.org`, password),
      from: freshAddress(),
    })
    expect(response.status, password).toBe(400)
    expect(response.body, password).toContain('よく使われていて推測されやすい')
  }
  const uncommon = await send({
    path: '/sign-up',
    form: signUpForm(`uncommon-${Date.now()}@example.org`, 'an uncommon passphrase 2026'),
    from: freshAddress(),
  })
  expect(uncommon.status).toBe(302)
})
