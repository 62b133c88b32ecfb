import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { FormAlert, type ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { AppError } from '~/operations/app-error'
import * as signUpPage from '~/routes/sign-up'
import { createHarness, formRequest, type Harness } from '~/test/harness'
import { getI18n } from '~/utils/i18n.server'
import { refusal } from './errors.server'
import { fields } from './form-schemas'
import { parseSubmission } from './form-validation.server'

/** What the page shows for an action's answer, in the reader's language. */
async function shown(failure: ActionFailure, locale: Locale) {
  return renderToStaticMarkup(
    <I18nextProvider i18n={await getI18n(locale)}>
      <FormAlert failure={failure} />
    </I18nextProvider>,
  )
}

function formData(values: Record<string, string | string[]>) {
  const data = new FormData()
  for (const [name, value] of Object.entries(values))
    for (const one of [value].flat()) data.append(name, one)
  return data
}

describe('parseSubmission', () => {
  const schema = z.object({ email: fields.email, count: z.number({ message: 'auth:validation.choose' }), tags: z.array(z.string()) })

  it('reads the answers as the schema says (numbers, repeated names as a list)', () => {
    expect(parseSubmission(formData({ email: ' a@example.jp ', count: '3', tags: ['x', 'y'] }), schema)).toEqual({
      email: 'a@example.jp',
      count: 3,
      tags: ['x', 'y'],
    })
  })

  it('refuses with an AppError whose issues are each field’s first message, mapped to a 400', async () => {
    let thrown: unknown
    try {
      parseSubmission(formData({ email: '', count: 'many', tags: 'x' }), schema)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AppError)
    expect((thrown as AppError).code).toBe('invalid_form')
    const response = refusal(thrown)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      formError: 'common:errors.operation.invalid_input',
      fieldErrors: { email: 'auth:validation.required', count: 'auth:validation.choose' },
    })
  })
})

describe('a refused form through a route', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createHarness()
  })
  afterAll(async () => {
    await h?.close()
  })

  it('a bad e-mail address at sign-up is a 400 worded in the reader’s language, and nothing is created', async () => {
    const email = 'not-an-address@'
    const response = (await signUpPage.action({
      request: formRequest('/sign-up', {
        displayName: '山田 太郎',
        email,
        password: 'a long enough passphrase',
        locale: 'en',
        kind: 'corporation',
        organisationName: '山田商事',
      }),
      context: await h.contextFor(null),
      params: {},
    })) as Response
    expect(response.status).toBe(400)
    const failure = (await response.json()) as ActionFailure
    expect(failure.fieldErrors).toEqual({ email: 'auth:validation.email' })
    expect(await shown(failure, 'ja')).toContain('name@example.jp のような形式でメールアドレスを入力してください。')
    expect(await shown(failure, 'en')).toMatch(/<a href="#email">[^<]*e-mail address[^<]*<\/a>/i)
    expect(await h.db.adminSql`SELECT 1 FROM users WHERE email = ${email}`).toHaveLength(0)
    expect(await h.db.adminSql`SELECT 1 FROM organisations WHERE name = '山田商事'`).toHaveLength(0)
  })
})
