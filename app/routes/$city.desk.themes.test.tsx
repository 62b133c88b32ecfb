import { describe, expect, it, vi } from 'vitest'
import type { ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { formIn, renderToHtml } from '~/test/form-refusal'

/**
 * The themes page's forms on the one field kit (issue 19), rendered as the
 * server renders them after the action's answer (so also without
 * JavaScript): a refused save is shown at the form it answers, with its
 * summary, each field's message tied to it and every answer given back.
 */

const page = vi.hoisted(() => ({ failure: undefined as ActionFailure | undefined }))
const THEME = '0b7e3f1c-2a4d-4e5f-9a8b-7c6d5e4f3a2b'

vi.mock('@remix-run/react', async () => ({
  Form: (await import('~/test/form-refusal')).PlainForm,
  Link: ({ to, children }: { to: string; children: React.ReactNode }) => <a href={to}>{children}</a>,
  useSearchParams: () => [new URLSearchParams()],
  useActionData: () => page.failure,
  useLoaderData: () => ({
    slug: 'city',
    themes: [
      {
        id: THEME,
        titleJa: '駅前のにぎわい',
        titleEn: '',
        backgroundJa: '背景',
        backgroundEn: '',
        expectedOutcomeJa: '',
        expectedOutcomeEn: '',
        departmentKey: 'roads',
        deadline: '2027-03-31',
        fields: ['mobility'],
        status: 'open',
      },
    ],
    page: 1,
    pageCount: 1,
    fieldErrors: {},
    departments: [
      { id: 'roads', label: '道路課' },
      { id: 'parks', label: '公園課' },
    ],
    fieldsOfActivity: [
      { id: 'mobility', label: '交通' },
      { id: 'tourism', label: '観光' },
    ],
  }),
}))

const { default: DeskThemes } = await import('./$city.desk.themes')

async function render(failure: ActionFailure | undefined, locale: Locale = 'ja') {
  page.failure = failure
  const html = await renderToHtml(<DeskThemes />, locale)
  return {
    html,
    created: formIn(html, 'id="theme-form-new"'),
    edited: formIn(html, `id="theme-form-${THEME}"`),
  }
}

const refusedSave = (values: Record<string, string | string[]>, fieldErrors: Record<string, string>) => ({
  formError: 'common:errors.operation.invalid_input',
  fieldErrors,
  values: { intent: 'save', ...values },
})

describe('the desk themes page’s forms', () => {
  it('shows a refused new theme at the new theme’s form: summary, messages tied to their fields, answers back', async () => {
    const { created, edited, html } = await render(
      refusedSave(
        {
          titleJa: '',
          backgroundJa: '駅前の回遊',
          departmentKey: 'parks',
          fields: ['tourism'],
          deadline: '2026-02-30',
        },
        { titleJa: 'desk:themes.errors.required', deadline: 'desk:themes.errors.invalidDate' },
      ),
    )
    expect(created).toContain('class="error-summary" role="alert"')
    expect(created).toContain('<a href="#new-titleJa">題名（日本語）: 入力してください。</a>')
    expect(created).toContain('<a href="#new-deadline">締切日: 日付を正しく入力してください。</a>')
    expect(created).toMatch(
      /id="new-titleJa" name="titleJa" required="" aria-describedby="new-titleJa-error" aria-invalid="true"/,
    )
    expect(created).toContain(
      '<p id="new-deadline-error" class="field__error">日付を正しく入力してください。</p>',
    )
    expect(created).toMatch(
      /id="new-deadline" name="deadline" aria-describedby="new-deadline-error" aria-invalid="true" value="2026-02-30"/,
    )
    // Every answer is given back: the texts, the department chosen, the fields ticked.
    expect(created).toContain('>駅前の回遊</textarea>')
    expect(created).toMatch(/<option value="parks" selected="">公園課<\/option>/)
    expect(created).toMatch(/checked="" value="tourism"/)
    expect(created).not.toMatch(/checked="" value="mobility"/)
    // The theme's own form and the page's top are not what was refused.
    expect(edited).not.toContain('error')
    expect(html).not.toContain('<details open')
    expect(html.match(/role="alert"/g)).toHaveLength(1)
  })

  it('shows a refused change of a theme at that theme’s form, opened, in English for an English reader', async () => {
    const { created, edited, html } = await render(
      refusedSave(
        { themeId: THEME, titleJa: 'x'.repeat(201), fields: 'no-such-field' },
        {
          titleJa: 'desk:themes.errors.tooLong',
          fields: 'auth:validation.choose',
        },
      ),
      'en',
    )
    expect(html).toContain('<details open="">')
    expect(edited).toContain('Some entries need correcting.')
    expect(edited).toContain(`<a href="#${THEME}-fields">`)
    expect(edited).toContain(
      `<p id="${THEME}-fields-error" class="field__error">Please choose one of the options.</p>`,
    )
    // The hint and the group's error are tied to every box.
    expect(edited).toContain(
      `aria-describedby="${THEME}-fields-hint ${THEME}-fields-error" aria-invalid="true"`,
    )
    expect(edited).toContain(`value="${'x'.repeat(201)}"`)
    expect(created).not.toContain('error')
  })

  it('shows a refused status change (a value the page set) once, at the top; the forms stay as they were', async () => {
    const { created, edited, html } = await render({
      formError: 'common:errors.request.stale_form',
      fieldErrors: {},
      values: { intent: 'status', themeId: THEME, status: 'forgotten' },
    })
    expect(html).toMatch(/<div class="form-alert" role="alert" tabindex="-1">[^<]+<\/div>/)
    expect(created + edited).not.toContain('role="alert"')
    expect(edited).toContain('value="駅前のにぎわい"')
  })

  it('checks each form in the browser with its own id, and shows nothing refused before a post', async () => {
    const { html, edited } = await render(undefined)
    expect(html).toContain('id="theme-form-new"')
    expect(html).toContain(`id="theme-form-${THEME}"`)
    // The theme's heading keeps its id (a form's id is not one of the page's other ids).
    expect(html.match(new RegExp(`id="theme-${THEME}"`, 'g'))).toHaveLength(1)
    expect(html).not.toContain('role="alert"')
    expect(html).not.toContain('aria-invalid')
    expect(edited).toMatch(/<option value="roads" selected="">/)
    expect(edited).toMatch(/checked="" value="mobility"/)
    expect(edited).toContain('value="2027-03-31"')
  })
})
