import { describe, expect, it, vi } from 'vitest'
import { loadTenantDirectory, type TenantConfig } from '@desk/tenant-config'
import { cityFormView, type CityFormView } from '~/http/city-form'
import type { Locale } from '~/i18n'
import { renderToHtml } from '~/test/form-refusal'
import { CityFormSection } from './city-form-section'

/**
 * A city's part of the proposal form is built from its tenant file on the
 * field kit: every control is labelled, and every hint and error is tied to
 * its control the kit's way (`<id>-hint`, `<id>-error`, aria-invalid), for
 * every kind of field a city may declare, the saved files of a draft too.
 */

// Outside a Remix router: no route data says a text is in another language.
vi.mock('@remix-run/react', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  useMatches: () => [],
}))

const { tenants } = await loadTenantDirectory('tenants')
const configs = tenants.map((tenant) => (tenant as unknown as { config: TenantConfig }).config)

/** A city's view with a select field added (no demo city declares one). */
function viewOf(config: TenantConfig, locale: Locale): CityFormView {
  const view = cityFormView(config, locale, undefined, [
    { id: 'theme-1', titleJa: 'テーマ', titleEn: 'Theme' },
  ])
  for (const fields of Object.values(view.forms))
    fields.push({
      id: 'venue',
      name: `${view.slug}.venue`,
      type: 'select',
      label: locale === 'ja' ? '会場' : 'Venue',
      help: locale === 'ja' ? '一つ選んでください' : 'Choose one',
      required: true,
      options: [
        { value: 'hall', label: 'Hall' },
        { value: 'park', label: 'Park' },
      ],
    })
  return view
}

/** A message for every input the section may refuse, named after it. */
function everyError(view: CityFormView): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const id of ['proposalType', 'trackId', 'themeId']) errors[`${view.slug}.${id}`] = `refused ${id}`
  for (const field of Object.values(view.forms).flat()) errors[field.name] = `refused ${field.id}`
  for (const criterion of view.toConfirm)
    errors[`${view.slug}.criteria.${criterion.id}`] = `refused criterion ${criterion.id}`
  for (const note of view.notes) errors[`${view.slug}.notes.${note.id}`] = `refused note ${note.id}`
  return errors
}

const attributes = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((match) => match[1]!)

/** Every control of the markup: its tag and attributes. */
const controls = (html: string) =>
  [...html.matchAll(/<(input|select|textarea)\b[^>]*>/g)]
    .map((match) => match[0])
    .filter((tag) => !tag.includes('type="hidden"'))

describe('a city’s part of the proposal form', () => {
  for (const config of configs)
    for (const locale of ['ja', 'en'] as const)
      for (const type of config.proposalTypes)
        it(`ties every hint and error to its control (${config.slug}, ${locale}, ${type.id})`, async () => {
          const view = viewOf(config, locale)
          const errors = everyError(view)
          const fileField = Object.values(view.forms)
            .flat()
            .find((field) => field.type === 'file')
          const draft = {
            id: 'draft-1',
            version: 2,
            proposalType: type.id,
            themeId: null,
            track: '',
            answers: fileField
              ? {
                  [fileField.id]: [
                    { attachmentId: 'file-1', name: 'plan.pdf', bytes: 2048, contentType: 'application/pdf' },
                  ],
                }
              : {},
          }
          const html = await renderToHtml(
            <CityFormSection
              city={view}
              draft={draft}
              preselectedTheme={null}
              errors={errors}
              values={undefined}
            />,
            locale,
          )
          const ids = new Set(attributes(html, 'id'))
          // Every message is shown once, with the id its control points to.
          const shownErrors = Object.keys(errors).filter((key) => html.includes(`>${errors[key]}<`))
          expect(shownErrors.length).toBeGreaterThan(5)
          for (const key of shownErrors)
            expect(html).toContain(`<p id="${key}-error" class="field__error">${errors[key]}</p>`)
          // Every reference names an element of the page; every error is referenced and its control refused.
          const described = attributes(html, 'aria-describedby').flatMap((list) => list.split(' '))
          for (const id of described) expect(ids).toContain(id)
          for (const key of shownErrors) expect(described).toContain(`${key}-error`)
          for (const tag of controls(html)) {
            const references = /aria-describedby="([^"]*)"/.exec(tag)?.[1] ?? ''
            if (references.includes('-error')) expect(tag).toContain('aria-invalid="true"')
            // Each control is labelled: by a label pointing at it, or by the label around it.
            const id = /\sid="([^"]*)"/.exec(tag)?.[1]
            const labelled =
              (id && html.includes(`<label for="${id}"`)) || html.includes(`<label class="choice">${tag}`)
            const inSavedFiles = tag.includes('.removeFile"')
            expect(labelled || inSavedFiles, tag).toBeTruthy()
          }
          for (const id of attributes(html, 'for')) expect(ids).toContain(id)
          // A field's own hint, from the tenant file.
          for (const field of view.forms[view.formOfType[type.id]!] ?? [])
            if (field.help) expect(html).toContain(`<p id="${field.name}-hint" class="field__hint">`)
          if (fileField && view.forms[view.formOfType[type.id]!]?.includes(fileField)) {
            // The file's rule (how many, how large) is its hint; the draft's file is listed with a box to take it out.
            const hintId = new RegExp(`<input type="file"[^>]*aria-describedby="([^" ]+-hint)`).exec(
              html,
            )?.[1]
            const rule = new RegExp(`<p id="${hintId}" class="field__hint">(.*?)</p>`).exec(html)?.[1]
            expect(rule).toMatch(locale === 'ja' ? /件まで/ : /Up to/)
            expect(html).toContain(
              `<a href="/proposals/${view.slug}/draft-1/attachments/file-1" download="">plan.pdf</a>`,
            )
            expect(html).toContain(`<input type="checkbox" name="${view.slug}.removeFile" value="file-1"/>`)
          }
        })

  it('keeps the proposal type’s choice on the radio buttons, the others closed to a draft of another type', async () => {
    const config = configs.find((candidate) => candidate.proposalTypes.length > 1)!
    const view = viewOf(config, 'ja')
    const [kept, other] = view.types
    const html = await renderToHtml(
      <CityFormSection
        city={view}
        draft={{ id: 'd', version: 1, proposalType: kept!.id, themeId: null, track: '', answers: {} }}
        preselectedTheme={null}
        errors={{}}
        values={undefined}
      />,
    )
    expect(html).toMatch(
      new RegExp(
        `<input type="radio" id="${view.slug}.proposalType-0" name="${view.slug}.proposalType" checked="" value="${kept!.id}"/>`,
      ),
    )
    expect(html).toMatch(
      new RegExp(
        `<input type="radio" id="${view.slug}.proposalType-1" name="${view.slug}.proposalType" disabled="" value="${other!.id}"/>`,
      ),
    )
    // The error summary's link to the type lands on its group.
    expect(html).toContain(`<fieldset class="field" id="${view.slug}.proposalType" tabindex="-1">`)
  })
})
