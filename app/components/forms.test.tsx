import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { describe, expect, it } from 'vitest'
import type { Locale } from '~/i18n'
import { getI18n } from '~/utils/i18n.server'
import {
  CheckboxField,
  CheckboxGroup,
  FileField,
  FormAlert,
  RadioGroup,
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

  it('a radio group: its legend takes the id the summary links to, each button tied to the error, the one sent chosen again', async () => {
    const options = [
      { value: 'theme', label: <span lang="ja">テーマ型</span> },
      { value: 'free', label: 'Free', disabled: true },
    ]
    const { html } = await render(
      <RadioGroup
        id="city.type"
        name="city.type"
        label="Type"
        required
        options={options}
        defaultValue="free"
        error="Choose one."
        values={{ 'city.type': 'theme' }}
      />,
      'en',
    )
    expect(html).toContain('<fieldset class="field" id="city.type" tabindex="-1">')
    expect(html).toContain(
      '<legend class="field__label">Type<span class="field__required">Required</span></legend>',
    )
    expect(html).toContain('<p id="city.type-error" class="field__error">Choose one.</p>')
    expect(html).toContain(
      '<input type="radio" id="city.type-0" name="city.type" aria-describedby="city.type-error" aria-invalid="true" checked="" value="theme"/> <span lang="ja">テーマ型</span>',
    )
    expect(html).toMatch(
      /<input type="radio" id="city.type-1" name="city.type" disabled=""[^>]*value="free"\/>/,
    )
    // Controlled: the form around it follows the choice.
    const controlled = await render(
      <RadioGroup name="t" label="T" options={options} value="free" onChange={() => {}} />,
    )
    expect(controlled.html).toMatch(/id="t-1"[^>]*checked=""/)
    expect(controlled.html).not.toMatch(/id="t-0"[^>]*checked=""/)
  })

  it('a statement to confirm: one box, its label after it, its error above and tied to it, ticked again when sent', async () => {
    const { html } = await render(
      <CheckboxField
        id="city.criteria.law"
        name="city.criteria"
        value="law"
        label="法令に反しません。"
        error="確認してチェックしてください。"
        values={{ 'city.criteria': ['other', 'law'] }}
      />,
    )
    expect(html).toBe(
      '<div class="field"><p id="city.criteria.law-error" class="field__error">確認してチェックしてください。</p>' +
        '<label class="choice"><input type="checkbox" id="city.criteria.law" name="city.criteria" ' +
        'aria-describedby="city.criteria.law-error" aria-invalid="true" checked="" value="law"/> <span>法令に反しません。</span></label></div>',
    )
    const unsent = await render(
      <CheckboxField name="done" label="Done" defaultChecked values={{ other: 'x' }} />,
    )
    expect(unsent.html).not.toContain('checked')
  })

  it('a file input with the files saved for it: each a download with a box to take it out, the list’s hint tied to it', async () => {
    const { html } = await render(
      <FileField
        name="city.documents"
        label="添付資料"
        hint="5件まで"
        multiple
        accept=".pdf"
        error="大きすぎます。"
        saved={[
          { id: 'a1', name: 'plan.pdf', bytes: 2 * 1048576, href: '/files/a1' },
          { id: 'a2', name: 'map.png', bytes: 2048, href: '/files/a2' },
        ]}
        removeName="city.removeFile"
        removed={['a2']}
        values={{ 'city.documents': 'C:\\fakepath\\plan.pdf' }}
      />,
      'en',
    )
    expect(html).toContain(
      '<input type="file" accept=".pdf" multiple="" id="city.documents" name="city.documents" aria-describedby="city.documents-hint city.documents-error" aria-invalid="true"/>',
    )
    expect(html).toContain(
      '<fieldset class="saved-files" aria-describedby="city.documents-saved-hint"><legend>Files saved with the draft</legend>',
    )
    expect(html).toContain('<p id="city.documents-saved-hint" class="field__hint">')
    expect(html).toContain('<a href="/files/a1" download="">plan.pdf</a> (2 MB)')
    const box = (value: string) => html.match(new RegExp(`<input[^>]*value="${value}"[^>]*>`))?.[0]
    expect(box('a1')).toBe('<input type="checkbox" name="city.removeFile" value="a1"/>')
    expect(box('a2')).toBe('<input type="checkbox" name="city.removeFile" checked="" value="a2"/>')
    expect(html).toContain('<span class="visually-hidden"> (map.png)</span>')
    // A file is never given back.
    expect(html).not.toContain('fakepath')
    const none = await render(<FileField name="report" label="Report" saved={[]} removeName="x" />)
    expect(none.html).not.toContain('saved-files')
  })

  it('a file input is a FileField, never a TextField (whose value would be given back)', async () => {
    await expect(render(<TextField name="report" type="file" label="報告書" />)).rejects.toThrow(/FileField/)
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
