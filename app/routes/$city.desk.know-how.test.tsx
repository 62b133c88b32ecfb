import { describe, expect, it, vi } from 'vitest'
import type { ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { KNOW_HOW_TITLE_MAX } from '~/operations/know-how/know-how-rules'
import { formIn, renderToHtml } from '~/test/form-refusal'

/**
 * The toggle under an internal note posts to the know-how page. Without
 * JavaScript a refused mark is answered by that page, which must show it:
 * the toggle again, open, with its summary, the messages tied to their
 * fields, what was written, and the way back to the proposal. Before, the
 * page showed its list and the refusal was lost.
 */

const page = vi.hoisted(() => ({ failure: undefined as ActionFailure | undefined }))
const NOTE = '5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d'

vi.mock('@remix-run/react', async () => {
  const { PlainForm } = await import('~/test/form-refusal')
  return {
    Form: PlainForm,
    Link: ({ to, children }: { to: string; children: React.ReactNode }) => <a href={to}>{children}</a>,
    useSearchParams: () => [new URLSearchParams()],
    useActionData: () => page.failure,
    useFetcher: () => ({ data: undefined, Form: PlainForm }),
    useLoaderData: () => ({
      slug: 'city',
      rows: [],
      total: 0,
      page: 1,
      pageCount: 1,
      search: { q: '', field: '' },
      fieldErrors: {},
      fields: [
        { id: 'mobility', label: '交通' },
        { id: 'tourism', label: '観光' },
      ],
    }),
  }
})

const { default: KnowHow } = await import('./$city.desk.know-how')

async function render(failure: ActionFailure | undefined, locale: Locale = 'ja') {
  page.failure = failure
  const html = await renderToHtml(<KnowHow />, locale)
  return { html, toggle: formIn(html, `id="know-how-${NOTE}"`) }
}

const refusedMark = (redirectTo: string): ActionFailure => ({
  formError: 'common:errors.operation.invalid_input',
  fieldErrors: { title: 'auth:validation.tooLong', fields: 'auth:validation.choose' },
  values: { intent: 'mark', noteId: NOTE, title: '駅前の教訓', fields: ['tourism', 'no-such-field'], redirectTo },
})

describe('the know-how page after a refused mark (without JavaScript)', () => {
  it('shows the toggle again with the refusal, what was written, and the way back', async () => {
    for (const [locale, heading, back] of [
      ['ja', '好事例として登録できませんでした', '提案のページに戻る'],
      ['en', 'The note could not be marked as good practice', 'Back to the proposal'],
    ] as const) {
      const { html, toggle } = await render(refusedMark(`/city/desk/proposals/${NOTE}`), locale)
      expect(html).toContain(heading)
      expect(html).toContain(`<a href="/city/desk/proposals/${NOTE}">${back}</a>`)
      // The summary links each message to its field; the field says why and keeps what was written.
      expect(toggle).toContain('class="error-summary"')
      expect(toggle).toContain(`href="#know-how-${NOTE}-title"`)
      expect(toggle).toContain(`href="#know-how-${NOTE}-fields"`)
      expect(toggle).toMatch(/<input[^>]*id="know-how-[^"]*-title"[^>]*aria-invalid="true"/)
      expect(toggle).toContain('value="駅前の教訓"')
      expect(toggle).toContain(`maxLength="${KNOW_HOW_TITLE_MAX}"`)
      expect(toggle).toMatch(/<input[^>]*checked=""[^>]*value="tourism"|value="tourism"[^>]*checked=""/)
      expect(html).toMatch(/<details class="know-how-toggle" open="">/)
    }
  })

  it('offers the way back only to a page of this desk', async () => {
    const { html } = await render(refusedMark('https://elsewhere.example/phish'))
    expect(html).not.toContain('elsewhere.example')
    expect(html).toContain('<a href="/city/desk">提案のページに戻る</a>')
  })

  it('shows no refusal when nothing was posted', async () => {
    const { html } = await render(undefined)
    expect(html).not.toContain('好事例として登録できませんでした')
    expect(html).not.toContain('know-how-toggle')
  })
})
