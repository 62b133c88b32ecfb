import { describe, expect, it, vi } from 'vitest'
import type { ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { formIn, renderToHtml } from '~/test/form-refusal'

/**
 * The desk's proposal page after a refused post (the page as the server
 * renders it, also without JavaScript): the routing, the screening and each
 * transition show their own refusal at their form — the error summary linking
 * each message to its field, the message at the field, what was sent — and no
 * second alert at the top of the page. Before, the routing and the screening
 * showed only a generic alert at the top and every box and note as loaded.
 */

const page = vi.hoisted(() => ({
  failure: undefined as ActionFailure | undefined,
  transitions: [] as { id: string; label: string; requires: string[]; methods?: string[] }[],
}))

vi.mock('@remix-run/react', async () => {
  const { PlainForm } = await import('~/test/form-refusal')
  return {
    Form: PlainForm,
    Link: ({ to, children, className }: { to: string; children: React.ReactNode; className?: string }) => (
      <a href={to} className={className}>
        {children}
      </a>
    ),
    useActionData: () => page.failure,
    useFetcher: () => ({ data: undefined, Form: PlainForm }),
    useNavigation: () => ({ state: 'idle' }),
    useLoaderData: () => ({
      notRouted: false,
      slug: 'city',
      cityName: '市',
      isDesk: true,
      side: 'desk',
      trackLabel: '通常',
      ended: false,
      nextActors: [],
      proposal: { id: 'p1', title: '駅前広場の活用', referenceCode: 'R-1', version: 3, submittedAt: null },
      scope: { decided: false, experiment: false, disclosure: false },
      typeLabel: '自由提案',
      stepLabel: '受付',
      outcome: null,
      myPart: null,
      symbols: null,
      answers: [],
      earlyAnswer: null,
      routedTo: ['parks'],
      departments: [
        { id: 'parks', label: '公園緑地課' },
        { id: 'tourism', label: '観光課' },
      ],
      methods: [{ id: 'contract', label: '委託' }],
      transitions: page.transitions,
      criteria: [
        { id: 'purpose', text: '公序良俗に反する', judgement: null, note: '' },
        { id: 'politics', text: '政治活動を目的とする', judgement: 'pass', note: '確認済み' },
      ],
      notAcceptedReason: '',
      history: [],
      thread: [],
      files: [],
      knowHow: [],
      fieldsOfActivity: [],
      similarCases: [],
    }),
  }
})

const { default: DeskProposal } = await import('./$city.desk.proposals.$proposalId')

async function render(failure: ActionFailure | undefined, locale: Locale = 'ja') {
  page.failure = failure
  const html = await renderToHtml(<DeskProposal />, locale)
  return {
    html,
    routing: formIn(html, 'id="routing-form"'),
    screening: formIn(html, 'id="screening-form"'),
    /** Alerts outside any form (the page's own). */
    topAlerts:
      html
        .split(/<form[\s\S]*?<\/form>/)
        .join('')
        .match(/role="alert"/g) ?? [],
  }
}

/** The checkbox of this value in a form's markup (its whole tag). */
const box = (form: string, value: string) =>
  form.match(new RegExp(`<input type="checkbox"[^>]*value="${value}"[^>]*>`))?.[0] ?? ''

const refused = (values: Record<string, string | string[]>, fieldErrors: Record<string, string>) => ({
  formError: 'common:errors.operation.invalid_input',
  fieldErrors,
  values,
})

describe('the desk’s proposal page after a refused routing, screening or step', () => {
  it('shows a refused routing at the routing form with the boxes that were sent', async () => {
    page.transitions = []
    for (const [locale, title, legend, message] of [
      ['ja', '入力内容に誤りがあります。', '回付する担当課', '選択肢から選んでください。'],
      ['en', 'Some entries need correcting.', 'Departments', 'Please choose one of the options.'],
    ] as const) {
      const { routing, screening, topAlerts } = await render(
        refused(
          { intent: 'route', departments: ['tourism', 'gone'] },
          { departments: 'auth:validation.choose' },
        ),
        locale,
      )
      expect(routing).toContain('class="error-summary"')
      expect(routing).toContain(title)
      expect(routing).toContain(`<a href="#routing-departments">${legend}: ${message}</a>`)
      expect(routing).toContain(`<p id="routing-departments-error" class="field__error">${message}</p>`)
      // The boxes sent are checked again (not the routing as loaded), each tied to the message.
      expect(box(routing, 'tourism')).toContain('checked=""')
      expect(box(routing, 'tourism')).toContain(
        'aria-describedby="routing-departments-error" aria-invalid="true"',
      )
      expect(box(routing, 'parks')).not.toContain('checked')
      expect(screening).not.toContain('error')
      expect(topAlerts).toEqual([])
    }
  })

  it('shows a refused screening at the screening form: the note’s message at its cell, what was written kept', async () => {
    page.transitions = []
    const long = 'あ'.repeat(2001)
    const { screening, routing, topAlerts } = await render(
      refused(
        {
          intent: 'screening',
          'judgement.purpose': 'unclear',
          'note.purpose': long,
          'judgement.politics': '',
          'note.politics': '',
        },
        { 'note.purpose': 'desk:proposal.noteTooLong' },
      ),
    )
    expect(screening).toContain('class="error-summary"')
    expect(screening).toContain(
      '<a href="#screening-note-purpose">「公序良俗に反する」のメモ: メモは2000文字以内にしてください。</a>',
    )
    expect(screening).toMatch(
      new RegExp(
        `<textarea rows="2" id="screening-note-purpose" name="note.purpose" aria-label="「公序良俗に反する」のメモ" aria-describedby="screening-note-purpose-error" aria-invalid="true">${long}</textarea>`,
      ),
    )
    expect(screening).toContain(
      '<p id="screening-note-purpose-error" class="field__error">メモは2000文字以内にしてください。</p>',
    )
    // What was sent, not what was loaded: the judgements chosen and the note emptied.
    expect(screening).toMatch(/<option value="unclear" selected="">要確認<\/option>/)
    expect(screening).toMatch(/name="note.politics" aria-label="[^"]*"><\/textarea>/)
    expect(routing).not.toContain('error')
    expect(topAlerts).toEqual([])
  })

  it('shows a refused step at its own form: the summary and the kit’s departments fieldset', async () => {
    page.transitions = [
      { id: 'route', label: '担当課に回付', requires: ['departments'] },
      { id: 'reject', label: '不受理', requires: ['reason'] },
    ]
    const { html, topAlerts } = await render({
      formError: 'common:errors.operation.missing_requirement',
      fieldErrors: { departments: 'departments is required' },
      values: { intent: 'transition', transitionId: 'route', version: '3' },
    })
    const step = formIn(html, 'id="transition-route"')
    expect(step).toContain('class="error-summary"')
    expect(step).toContain('<a href="#route-departments">担当課: 担当課を一つ以上選んでください。</a>')
    expect(step).toMatch(/<fieldset class="field" id="route-departments" tabindex="-1">/i)
    expect(step).toContain(
      '<p id="route-departments-error" class="field__error">担当課を一つ以上選んでください。</p>',
    )
    expect(box(step, 'parks')).toContain('aria-describedby="route-departments-error" aria-invalid="true"')
    // The engine's English never reaches the page; the other step is not what was refused.
    expect(html).not.toContain('is required')
    expect(formIn(html, 'id="transition-reject"')).not.toContain('error')
    expect(topAlerts).toEqual([])
  })

  it('still says why when the refused step is no longer offered (someone moved the proposal on)', async () => {
    page.transitions = [{ id: 'reject', label: '不受理', requires: ['reason'] }]
    const { topAlerts, html } = await render({
      formError: 'common:errors.operation.conflict',
      fieldErrors: {},
      values: { intent: 'transition', transitionId: 'accept', version: '2' },
    })
    expect(topAlerts).toHaveLength(1)
    expect(formIn(html, 'id="transition-reject"')).not.toContain('role="alert"')
  })

  it('shows nothing refused before a post, and checks the routing and the screening in the browser', async () => {
    page.transitions = []
    const { html, routing, screening } = await render(undefined)
    expect(html).not.toContain('role="alert"')
    expect(html).not.toContain('aria-invalid')
    expect(routing).toContain('novalidate=""')
    expect(screening).toContain('novalidate=""')
    expect(box(routing, 'parks')).toContain('checked=""')
    expect(screening).toMatch(/<option value="pass" selected="">/)
  })
})
