import { describe, expect, it, vi } from 'vitest'
import type { ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { formIn, renderToHtml } from '~/test/form-refusal'
import { Thread } from './thread'

vi.mock('@remix-run/react', async () => ({
  Form: (await import('~/test/form-refusal')).PlainForm,
  useNavigation: () => ({ state: 'idle' }),
}))

async function render(
  failure: ActionFailure | undefined,
  { locale = 'ja' as Locale, allowNotes = true } = {},
) {
  const html = await renderToHtml(
    <Thread entries={[]} downloadHref={(id) => `/files/${id}`} failure={failure} allowNotes={allowNotes} />,
    locale,
  )
  return {
    html,
    reply: formIn(html, 'aria-labelledby="reply-heading"'),
    note: formIn(html, 'aria-labelledby="note-heading"'),
  }
}

const refused = (intent: string, fieldErrors: Record<string, string>, body = ''): ActionFailure => ({
  formError: 'common:errors.operation.invalid_input',
  fieldErrors,
  values: { intent, body },
})

describe('the thread’s forms (the one field kit)', () => {
  it('shows a refused reply at the reply: its summary links to the field, which says why and keeps what was written', async () => {
    const { reply, note } = await render(refused('message', { body: 'proposals:thread.bodyError' }, '  '))
    expect(reply).toContain('class="error-summary" role="alert"')
    expect(reply).toContain('入力内容に誤りがあります。')
    expect(reply).toContain('<a href="#message-body">本文: 本文を入力してください（5000文字以内）。</a>')
    expect(reply).toMatch(
      /<textarea rows="4" id="message-body" name="body" aria-describedby="message-body-error" aria-invalid="true"> {2}<\/textarea>/,
    )
    expect(reply).toContain(
      '<p id="message-body-error" class="field__error">本文を入力してください（5000文字以内）。</p>',
    )
    // The internal note is not what was refused.
    expect(note).not.toContain('error')
    expect(note).toMatch(/<textarea rows="3" id="note-body" name="body"><\/textarea>/)
  })

  it('shows a refused internal note at the note, in English for an English reader', async () => {
    const { reply, note } = await render(refused('note', { body: 'proposals:thread.bodyError' }, '下書き'), {
      locale: 'en',
    })
    expect(note).toContain('Some entries need correcting.')
    expect(note).toContain('<a href="#note-body">')
    expect(note).toContain('Please write a message (at most 5,000 characters).')
    expect(note).toMatch(
      /id="note-body" name="body" aria-describedby="note-body-error" aria-invalid="true">下書き</,
    )
    expect(reply).not.toContain('error')
    expect(reply).not.toContain('下書き')
  })

  it('ties a refused file (worded on receipt) to the file input and lists it in the summary', async () => {
    const message = '「添付ファイル」のファイルは10 MB以下にしてください。'
    const { reply } = await render(refused('message', { files: message }, '日程の件'))
    expect(reply).toContain(`<a href="#message-files">`)
    expect(reply).toMatch(
      /<input type="file" multiple="" id="message-files" name="files" aria-describedby="message-files-error" aria-invalid="true"\/>/,
    )
    expect(reply).toContain(`<p id="message-files-error" class="field__error">${message}</p>`)
    // What was written stays; a file is never given back.
    expect(reply).toContain('>日程の件</textarea>')
  })

  it('shows a refusal of the whole reply (not of a field) as an alert at the reply', async () => {
    const { reply } = await render({
      formError: 'common:errors.operation.conflict',
      fieldErrors: {},
      values: { intent: 'message', body: 'x' },
    })
    expect(reply).toMatch(/<div class="form-alert" role="alert" tabindex="-1">[^<]+<\/div>/)
  })

  it('checks each form in the browser (conform ids) and shows nothing refused before a post; no note form for the proposer', async () => {
    const { html, reply, note } = await render(undefined)
    expect(html).toContain('id="reply-form"')
    expect(html).toContain('id="note-form"')
    expect(reply).toContain('noValidate=""'.toLowerCase())
    expect(html).not.toContain('role="alert"')
    expect(html).not.toContain('aria-invalid')
    expect(note).toContain('name="intent" value="note"')
    const proposer = await render(undefined, { allowNotes: false })
    expect(proposer.html).not.toContain('note-heading')
  })
})
