import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { describe, expect, it } from 'vitest'
import type { Locale } from '~/i18n'
import { getI18n } from '~/utils/i18n.server'
import {
  CheckboxGroup,
  FormAlert,
  SelectField,
  TextField,
  answerOf,
  answerTo,
  describedBy,
  submissionResultOf,
} from './forms'

/** The markup as the server renders it, in the reader's language. */
async function render(node: React.ReactNode, locale: Locale = 'ja') {
  return {
    html: renderToStaticMarkup(<I18nextProvider i18n={await getI18n(locale)}>{node}</I18nextProvider>),
  }
}

describe('the field kit', () => {
  it('ties a refused field to its label, hint and error (ids from the name), in the reader’s language', async () => {
    const { html } = await render(
      <TextField
        name="email"
        label="メールアドレス"
        hint="ヒント"
        errors={{ email: 'auth:validation.required' }}
        required
      />,
    )
    expect(html).toContain(
      '<label for="email" class="field__label">メールアドレス<span class="field__required">必須</span></label>',
    )
    expect(html).toContain('<p id="email-hint" class="field__hint">ヒント</p>')
    expect(html).toContain('<p id="email-error" class="field__error">入力してください。</p>')
    expect(html).toMatch(
      /<input type="text" id="email" name="email" required="" aria-describedby="email-hint email-error" aria-invalid="true"/,
    )
  })

  it('says Required in English, and a field without error or hint points to nothing', async () => {
    const { html } = await render(<TextField name="displayName" label="Name" required />, 'en')
    expect(html).toContain('<span class="field__required">Required</span>')
    expect(html).not.toContain('aria-describedby')
    expect(html).not.toContain('aria-invalid')
    const optional = await render(<TextField name="note" label="Note" />, 'en')
    expect(optional.html).not.toContain('field__required')
    expect(optional.html).not.toContain('required=""')
  })

  it('gives an explicit id to the control, label and messages; a worded message is shown as it is', async () => {
    const { html } = await render(
      <SelectField
        id="note-milestone"
        name="milestoneId"
        label="Milestone"
        emptyLabel="General"
        options={[{ value: 'm1', label: 'First' }]}
        error="「添付資料」のファイルは10 MB以下にしてください。"
      />,
    )
    expect(html).toContain('<label for="note-milestone"')
    expect(html).toContain(
      'id="note-milestone-error" class="field__error">「添付資料」のファイルは10 MB以下にしてください。</p>',
    )
    expect(html).toMatch(
      /<select id="note-milestone" name="milestoneId" aria-describedby="note-milestone-error" aria-invalid="true"><option value="">General<\/option>/,
    )
  })

  it('a textarea where rows are given; the password rule’s length fills its message', async () => {
    const { html } = await render(
      <TextField
        name="newPassword"
        label="New"
        rows={3}
        errors={{ newPassword: 'auth:validation.passwordLength' }}
      />,
      'en',
    )
    expect(html).toMatch(/<textarea rows="3" id="newPassword" name="newPassword"/)
    expect(html).toMatch(/id="newPassword-error" class="field__error">[^<]*10[^<]*<\/p>/)
  })

  it('describedBy lists the hint and the error only when there are any', () => {
    expect(describedBy('x', {})).toEqual({ 'aria-describedby': undefined, 'aria-invalid': undefined })
    expect(describedBy('x', { hint: 'h' })).toEqual({
      'aria-describedby': 'x-hint',
      'aria-invalid': undefined,
    })
    expect(describedBy('x', { hint: 'h', error: 'e' })).toEqual({
      'aria-describedby': 'x-hint x-error',
      'aria-invalid': true,
    })
  })

  it('the error summary names each field and links to its id; a refusal of the whole form is an alert', async () => {
    const failure = {
      formError: 'common:errors.operation.invalid_input',
      fieldErrors: { email: 'auth:validation.email' },
    }
    const { html } = await render(<FormAlert failure={failure} labels={{ email: 'メールアドレス' }} />)
    expect(html).toContain('class="error-summary" role="alert"')
    expect(html).toContain('入力内容に誤りがあります。')
    expect(html).toMatch(/<a href="#email">メールアドレス: name@example.jp のような形式/)
    const refused = await render(
      <FormAlert failure={{ formError: 'auth:errors.invalid_credentials', fieldErrors: {} }} />,
      'en',
    )
    expect(refused.html).toMatch(/<div class="form-alert" role="alert" tabindex="-1">[^<]+<\/div>/)
    expect(refused.html).not.toContain('error-summary')
  })

  it('a checkbox group: one legend, its error tied to every box, the boxes sent checked again', async () => {
    const options = [
      { value: 'a', label: 'A' },
      { value: 'b', label: 'B' },
    ]
    const { html } = await render(
      <CheckboxGroup
        name="offers"
        label="支援"
        options={options}
        defaultValue={['a']}
        errors={{ offers: 'auth:validation.choose' }}
        values={{ offers: ['b'] }}
      />,
    )
    expect(html).toContain('<legend class="field__label">支援</legend>')
    expect(html).toContain('<p id="offers-error" class="field__error">選択肢から選んでください。</p>')
    expect(html.match(/aria-describedby="offers-error" aria-invalid="true"/g)).toHaveLength(2)
    const box = (value: string) => html.match(new RegExp(`<input[^>]*value="${value}"[^>]*>`))?.[0]
    expect(box('a')).not.toContain('checked')
    expect(box('b')).toContain('checked=""')
  })

  it('a refusal is shown at the form whose hidden values it sent (answerOf)', () => {
    const failure = { formError: 'x', fieldErrors: {}, values: { intent: 'item', itemKey: 'step:a' } }
    expect(answerOf(failure, { intent: 'item', itemKey: 'step:a' })).toBe(failure)
    expect(answerOf(failure, { intent: 'item', itemKey: 'step:b' })).toBeUndefined()
    expect(answerOf(undefined, { intent: 'item' })).toBeUndefined()
  })

  it('a password input is one of the kit’s PASSWORD_INPUTS, whose answers are never given back', async () => {
    await expect(render(<TextField name="pin" type="password" label="暗証番号" />)).rejects.toThrow(
      /PASSWORD_INPUTS/,
    )
  })

  it('gives back what a refused submission sent (over the default), as the server renders it without JavaScript; never a password', async () => {
    const values = { displayName: '山田 花子', email: 'typo@', role: 'owner', password: 'leaked?' }
    const { html } = await render(
      <>
        <TextField name="displayName" label="氏名" defaultValue="旧姓" values={values} />
        <TextField name="email" type="email" label="メール" values={values} />
        <TextField name="note" label="メモ" defaultValue="そのまま" values={values} />
        <TextField name="password" type="password" label="パスワード" values={values} />
        <SelectField
          name="role"
          label="役割"
          defaultValue="member"
          options={[
            { value: 'member', label: 'メンバー' },
            { value: 'owner', label: '管理者' },
          ]}
          values={values}
        />
      </>,
    )
    expect(html).toMatch(/<input type="text" id="displayName" name="displayName" value="山田 花子"\/>/)
    expect(html).toMatch(/<input type="email" id="email" name="email" value="typo@"\/>/)
    expect(html).toMatch(/name="note" value="そのまま"/)
    expect(html).toMatch(/<input type="password" id="password" name="password"\/>/)
    expect(html).toContain('<option value="owner" selected="">管理者</option>')
    expect(html).not.toContain('leaked')
  })

  it('a page of several forms shows an answer at the form whose intent it gives back', () => {
    const failure = { formError: 'x', fieldErrors: {}, values: { intent: 'invite', email: 'a@' } }
    expect(answerTo(failure, 'invite')).toBe(failure)
    expect(answerTo(failure, 'profile', 'invite')).toBe(failure)
    expect(answerTo(failure, 'profile')).toBeUndefined()
    expect(answerTo({ formError: 'x', fieldErrors: {} }, 'invite')).toBeUndefined()
    expect(answerTo(undefined, 'invite')).toBeUndefined()
  })

  it('an action’s refusal becomes conform’s last result with each field marked as checked', () => {
    expect(submissionResultOf(undefined)).toBeUndefined()
    expect(submissionResultOf({ formError: 'x', fieldErrors: { email: 'auth:validation.email' } })).toEqual({
      status: 'error',
      error: { email: ['auth:validation.email'] },
      state: { validated: { email: true } },
    })
  })
})
