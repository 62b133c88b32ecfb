import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ActionFailure } from '~/components/forms'
import { AppError } from '~/operations/app-error'
import * as signUpPage from '~/routes/sign-up'
import { createHarness, formRequest, type Harness } from '~/test/harness'
import { shown } from '~/test/form-refusal'
import { refusal } from './errors.server'
import { echoedValues, fields, hidden, intents, PASSWORD_INPUTS, STALE_FORM } from './form-schemas'
import { parseSubmission } from './form-validation.server'

function formData(values: Record<string, string | string[]>) {
  const data = new FormData()
  for (const [name, value] of Object.entries(values)) for (const one of [value].flat()) data.append(name, one)
  return data
}

describe('parseSubmission', () => {
  const schema = z.object({
    email: fields.email,
    count: z.number({ message: 'auth:validation.choose' }),
    tags: z.array(z.string()),
  })

  it('reads the answers as the schema says (numbers, repeated names as a list)', () => {
    expect(
      parseSubmission(formData({ email: ' a@example.jp ', count: '3', tags: ['x', 'y'] }), schema),
    ).toEqual({
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
      values: { email: '', count: 'many', tags: 'x' },
    })
  })
})

describe('the answers given back with a refusal (no-JS value echo)', () => {
  const schema = z.object({
    email: fields.email,
    password: fields.anyPassword,
    newPassword: fields.newPassword,
  })

  it('every text answer as sent, a repeated name as a list; never a password, never a file', async () => {
    const data = formData({
      email: 'typo@',
      password: 'secret one',
      newPassword: 'secret two',
      tags: ['x', 'y'],
    })
    data.append('attachment', new File(['%PDF'], 'a.pdf', { type: 'application/pdf' }))
    let thrown: unknown
    try {
      parseSubmission(data, schema)
    } catch (error) {
      thrown = error
    }
    const failure = (await refusal(thrown).json()) as ActionFailure
    expect(failure.values).toEqual({ email: 'typo@', tags: ['x', 'y'] })
    expect(JSON.stringify(failure)).not.toContain('secret')
  })

  it('the passwords are the kit’s password inputs (PASSWORD_INPUTS), not any name that mentions one', () => {
    const data = formData({ currentPassword: 'secret', passwordHint: '犬の名前', intent: 'password' })
    expect(PASSWORD_INPUTS).toContain('currentPassword')
    expect(echoedValues(data)).toEqual({ passwordHint: '犬の名前', intent: 'password' })
  })

  it('an operation’s refusal gives the form’s answers back when the action passes them', async () => {
    const form = formData({ intent: 'invite', email: 'someone@example.jp', currentPassword: 'secret' })
    const failure = (await refusal(new AppError('email_taken'), { form }).json()) as ActionFailure
    expect(failure).toEqual({
      formError: 'auth:errors.email_taken',
      fieldErrors: {},
      values: { intent: 'invite', email: 'someone@example.jp' },
    })
    expect(await refusal(new AppError('email_taken')).json()).toEqual({
      formError: 'auth:errors.email_taken',
      fieldErrors: {},
    })
  })
})

describe('a value the page itself sets (hidden, intents)', () => {
  const schema = intents([
    z.object({ intent: z.literal('rename'), itemId: hidden.id, name: fields.displayName }),
    z.object({ intent: z.literal('delete'), itemId: hidden.id }),
  ])
  const itemId = '00000000-0000-4000-8000-000000000001'

  it('reads the form its intent names', () => {
    expect(parseSubmission(formData({ intent: 'delete', itemId }), schema)).toEqual({
      intent: 'delete',
      itemId,
    })
  })

  it('refuses an unknown intent or a bad hidden value as an out-of-date page (400, no field named), even beside a field’s own error', async () => {
    for (const values of [
      { intent: 'archive', itemId },
      { intent: 'delete', itemId: 'not-an-id' },
      { intent: 'rename', name: '' },
    ] as Record<string, string>[]) {
      let thrown: unknown
      try {
        parseSubmission(formData(values), schema)
      } catch (error) {
        thrown = error
      }
      expect((thrown as AppError).code).toBe('stale_form')
      const response = refusal(thrown)
      expect(response.status).toBe(400)
      const failure = (await response.json()) as ActionFailure
      expect(failure).toEqual({ formError: STALE_FORM, fieldErrors: {}, values })
      expect(await shown(failure, 'ja')).toContain('このページの内容が古いため')
      expect(await shown(failure, 'en')).toContain('This page was out of date')
    }
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
    expect(await shown(failure, 'ja')).toContain(
      'name@example.jp のような形式でメールアドレスを入力してください。',
    )
    expect(await shown(failure, 'en')).toMatch(/<a href="#email">[^<]*e-mail address[^<]*<\/a>/i)
    expect(await h.db.adminSql`SELECT 1 FROM users WHERE email = ${email}`).toHaveLength(0)
    expect(await h.db.adminSql`SELECT 1 FROM organisations WHERE name = '山田商事'`).toHaveLength(0)
  })
})
