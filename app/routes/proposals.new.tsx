import { randomUUID } from 'node:crypto'
import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type LinksFunction,
} from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { answerViews, buildProposalFormSchema } from '@desk/tenant-config'
import { AnswerList } from '~/components/definitions'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { CityFormSection } from '~/components/proposal/city-form-section'
import { ErrorSummary, FocusedAlert } from '~/components/forms'
import {
  answersFromForm,
  cityFormView,
  errorSummaryOf,
  uploadRefusalMessage,
  wordFormIssue,
  type CityFormView,
} from '~/http/city-form'
import {
  answersWithFileChanges,
  type FileChanges,
} from '~/operations/attachments/draft-files.server'
import { createUploadReceiver } from '~/operations/attachments/receive-uploads.server'
import { proposalTenant } from '~/http/edge.server'
import type { ProposalTenant } from '~/operations/proposals/context.server'
import { isUuid } from '~/utils/ids'
import { createProposalDraft } from '~/operations/proposals/create-proposal-draft.server'
import { readDraft, saveProposalDraft } from '~/operations/proposals/save-proposal-draft.server'
import { submitProposal } from '~/operations/proposals/submit-proposal.server'
import { listOpenThemes } from '~/operations/themes/themes.server'
import { readAccountOverview } from '~/operations/accounts/accounts.server'
import { requireUser } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { refusal, type AppFailure } from '~/http/errors.server'
import { AppError } from '~/operations/app-error'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/**
 * One form for one city or several: common choices at the top (organisation,
 * cities), then each city's own type, theme, fields, eligibility check and
 * notes. "Save draft" keeps one draft per city to come back to; "Preview"
 * checks everything and shows it read-only; "Submit" checks every city first
 * and only then submits one independent proposal per city. The hidden
 * idempotency key makes a double click, a refresh or a retry submit once.
 */

type Draft = Awaited<ReturnType<typeof readDraft>>

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const url = new URL(request.url)
  const { organisations } = await readAccountOverview(context.db, user.id)
  const drafts = new Map<string, Draft>()
  for (const value of url.searchParams.getAll('draft')) {
    const [slug, draftId] = value.split(':')
    const tenant = await proposalTenant(context, slug)
    try {
      drafts.set(
        tenant.config.slug,
        await readDraft(context.db, { tenant, actor: proposer(user.id), draftId: draftId ?? '' }),
      )
    } catch (error) {
      refusal(error)
    }
  }
  // Only a live city takes proposals (a draft or suspended one is not offered, whatever the link says).
  const slugs = [...new Set([...url.searchParams.getAll('city'), ...drafts.keys()])].filter(
    (slug) => context.tenants.get(slug)?.status === 'live',
  )
  const organisationId =
    url.searchParams.get('organisation') ?? [...drafts.values()][0]?.organisationId ?? organisations[0]?.id
  const organisation = organisations.find((candidate) => candidate.id === organisationId)
  const cities: CityFormView[] = []
  for (const slug of slugs) {
    const tenant = await proposalTenant(context, slug)
    const themes = await listOpenThemes(context.db, { tenant, actor: proposer(user.id) })
    cities.push(cityFormView(tenant.config, locale, organisation?.kind, themes))
  }
  return json(
    {
      title: t('proposals:new.title'),
      organisations: organisations.map(({ id, name }) => ({ id, name })),
      organisationId: organisation?.id ?? null,
      allCities: context.tenants.list().map((tenant) => ({
        slug: tenant.slug,
        name: tenantText(tenant.config.identity.name, locale, tenant.config.defaultLocale),
      })),
      cities,
      // The cities' texts shown untranslated, with their language (TenantText marks them).
      textLanguages: Object.assign({}, ...cities.map((city) => city.textLanguages)) as Record<string, string>,
      preselectedTheme: url.searchParams.get('theme'),
      drafts: Object.fromEntries(drafts),
      idempotencyKey: randomUUID(),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

type ActionData = AppFailure & { preview?: Record<string, { label: string; value: string }[]> }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const confirmMessage = t('proposals:new.confirmRequired')
  const url = new URL(request.url)
  const slugs = url.searchParams.getAll('city').filter((slug) => context.tenants.get(slug)?.status === 'live')
  const tenants = new Map<string, ProposalTenant>()
  for (const slug of slugs) tenants.set(slug, await proposalTenant(context, slug))
  const views = new Map(
    [...tenants].map(([slug, tenant]) => [slug, cityFormView(tenant.config, locale, undefined, [])] as const),
  )
  const fieldOf = (name: string) => {
    const [slug] = name.split('.')
    return Object.values(views.get(slug ?? '')?.forms ?? {})
      .flat()
      .find((field) => field.name === name && field.type === 'file')
  }
  const receiver = createUploadReceiver({
    files: context.files,
    // A file input is named `<city slug>.<field>`: its files are that city's.
    tenantFor: (name) => tenants.get(name.split('.')[0] ?? '')!.id,
    limitsFor: (name) => {
      const field = fieldOf(name)
      return field
        ? {
            allowedMimeTypes: field.accept ?? [],
            maxBytes: field.maxBytes ?? 0,
            maxFiles: field.maxFiles ?? 1,
          }
        : undefined
    },
  })
  try {
    return await handle(await receiver.parseForm(request))
  } finally {
    // Whatever the outcome, a file no committed record refers to is deleted: a refusal's, a
    // preview's (the proposer chooses it again to send it), a replayed submission's copies.
    await receiver.discard()
  }

  async function handle(formData: FormData) {
    const intent = String(formData.get('intent') ?? 'preview')
    const organisationId = String(formData.get('organisationId') ?? '')
    const idempotencyKey = String(formData.get('idempotencyKey') ?? '')
    const fieldErrors: Record<string, string> = {}
    for (const refusal of receiver.refusals()) {
      const field = fieldOf(refusal.field)
      if (field) fieldErrors[refusal.field] ??= uploadRefusalMessage(field, refusal, locale, t)
    }
    const cityPart = async (slug: string, tenant: ProposalTenant) => {
      const view = views.get(slug)!
      const typeId = String(formData.get(`${slug}.proposalType`) ?? '')
      const fields = view.forms[view.formOfType[typeId] ?? ''] ?? []
      const draftId = String(formData.get(`${slug}.draftId`) ?? '')
      // The draft's own files, less those the proposer took out, plus the ones chosen now.
      const files: FileChanges = {
        added: fields
          .filter((field) => field.type === 'file')
          .flatMap((field) => receiver.filesFor(field.name).map((file) => ({ fieldId: field.id, file }))),
        removedAttachmentIds: formData.getAll(`${slug}.removeFile`).map(String),
      }
      // No draft any more: a double click's first request submitted it; submitProposal replays it.
      const stored = draftId
        ? await readDraft(context.db, { tenant, actor: proposer(user.id), draftId }).then(
            (draft) => draft.answers,
            (error: unknown) => {
              if (error instanceof AppError && error.code === 'not_found') return undefined
              throw error
            },
          )
        : undefined
      return {
        slug,
        tenant,
        view,
        fields,
        typeId,
        draftId,
        draftVersion: Number(formData.get(`${slug}.draftVersion`) ?? 0),
        themeId: String(formData.get(`${slug}.themeId`) ?? '') || null,
        trackId: String(formData.get(`${slug}.trackId`) ?? '') || undefined,
        files,
        answers: answersWithFileChanges(
          tenant,
          { proposalType: typeId, answers: stored },
          answersFromForm(fields, formData, () => []),
          files,
        ),
        acknowledged: formData.getAll(`${slug}.notes`).map(String),
        confirmed: formData.getAll(`${slug}.criteria`).map(String),
      }
    }
    const perCity: Awaited<ReturnType<typeof cityPart>>[] = []
    // The city form's refusals (keys and values) in the reader's language.
    const wordIssueOf =
      (city: { tenant: ProposalTenant; typeId: string }) =>
      (message: string) =>
        wordFormIssue(message, { config: city.tenant.config, proposalTypeId: city.typeId, locale, t })
    for (const [slug, tenant] of tenants) {
      try {
        perCity.push(await cityPart(slug, tenant))
      } catch (error) {
        return refusal(error, { issuePrefix: slug })
      }
    }
    if (perCity.length === 0)
      return json<ActionData>({ formError: 'proposals:new.noCity', fieldErrors }, { status: 422 })
    if (!isUuid(organisationId)) throw new Response('Bad Request', { status: 400 })
    // A theme proposal answers one of that city's open themes (a forged id of another city's theme is named here).
    for (const city of perCity) {
      if (!city.view.types.find((type) => type.id === city.typeId)?.answersTheme) continue
      const open = await listOpenThemes(context.db, { tenant: city.tenant, actor: proposer(user.id) })
      if (!open.some((theme) => theme.id === city.themeId))
        fieldErrors[`${city.slug}.themeId`] = t('proposals:new.themeNotOpen')
    }
    // A refused file is reported whatever the button: nothing is saved with a file missing.
    if (Object.keys(fieldErrors).length > 0)
      return json<ActionData>({ formError: 'proposals:new.correctErrors', fieldErrors }, { status: 422 })

    if (intent === 'save') {
      const saved: string[] = []
      for (const city of perCity) {
        try {
          const draft = city.draftId
            ? await saveProposalDraft(context.db, {
                tenant: city.tenant,
                actor: proposer(user.id),
                draftId: city.draftId,
                expectedVersion: city.draftVersion,
                answers: city.answers,
                files: city.files,
              })
            : await createProposalDraft(context.db, {
                tenant: city.tenant,
                actor: proposer(user.id),
                proposal: {
                  organisationId,
                  proposalTypeId: city.typeId,
                  trackId: city.trackId,
                  themeId: city.themeId,
                },
                answers: city.answers,
                files: city.files,
              })
          receiver.keep(city.files.added.map((entry) => entry.file))
          await context.files.remove(city.tenant.id, draft.unreferenced)
          saved.push(`${city.slug}:${draft.proposal.id}`)
        } catch (error) {
          return refusal(error, { issuePrefix: city.slug })
        }
      }
      return redirect(
        `/proposals/new?${new URLSearchParams([...saved.map((value) => ['draft', value]), ['saved', '1']])}`,
      )
    }

    // Check every city before submitting to any: bad input anywhere changes nothing anywhere.
    for (const city of perCity) {
      if (!city.view.types.some((type) => type.id === city.typeId))
        fieldErrors[`${city.slug}.proposalType`] = confirmMessage
      for (const criterion of city.view.toConfirm)
        if (!city.confirmed.includes(criterion.id))
          fieldErrors[`${city.slug}.criteria.${criterion.id}`] = confirmMessage
      for (const note of city.view.notes)
        if (!city.acknowledged.includes(note.id))
          fieldErrors[`${city.slug}.notes.${note.id}`] = confirmMessage
      if (city.view.formOfType[city.typeId]) {
        const parsed = buildProposalFormSchema(city.tenant.config, city.typeId).safeParse(city.answers)
        if (!parsed.success)
          for (const issue of parsed.error.issues)
            fieldErrors[`${city.slug}.${issue.path.join('.')}`] ??= wordIssueOf(city)(issue.message)
      }
    }
    if (Object.keys(fieldErrors).length > 0)
      return json<ActionData>({ formError: 'proposals:new.correctErrors', fieldErrors }, { status: 422 })
    if (intent === 'preview') {
      const themeTitles = new Map<string, string>()
      for (const city of perCity)
        if (city.themeId)
          for (const theme of await listOpenThemes(context.db, {
            tenant: city.tenant,
            actor: proposer(user.id),
          }))
            themeTitles.set(theme.id, (locale === 'en' && theme.titleEn) || theme.titleJa)
      // The choices made above the answers, by their labels: type, support track, theme.
      const choicesOf = (city: (typeof perCity)[number]) => {
        const type = city.view.types.find((candidate) => candidate.id === city.typeId)
        const track = type?.tracks.find((candidate) => candidate.id === city.trackId) ?? type?.tracks[0]
        return [
          { label: t('proposals:new.type'), value: type?.label ?? '' },
          ...(track ? [{ label: t('proposals:new.track'), value: track.label }] : []),
          ...(city.themeId && type?.answersTheme
            ? [{ label: t('proposals:new.theme'), value: themeTitles.get(city.themeId) ?? '' }]
            : []),
        ]
      }
      return json<ActionData>({
        formError: '',
        fieldErrors,
        preview: Object.fromEntries(
          perCity.map((city) => [
            city.slug,
            [...choicesOf(city), ...answerViews(city.tenant.config, city.typeId, city.answers, locale)],
          ]),
        ),
      })
    }

    const references: string[] = []
    for (const city of perCity) {
      try {
        // The submission and its files in one transaction (submitProposal links them).
        const { proposal, replayed, unreferenced } = await submitProposal(context.db, {
          tenant: city.tenant,
          actor: proposer(user.id),
          proposal: city.draftId
            ? { draftId: city.draftId, expectedVersion: city.draftVersion }
            : { organisationId, proposalTypeId: city.typeId, trackId: city.trackId, themeId: city.themeId },
          idempotencyKey,
          answers: city.answers,
          files: city.files,
          acknowledgedNoteIds: city.acknowledged,
        })
        // The files were linked in the submission's own transaction. A replayed submission linked
        // none (the first one has its own): this request's copies are left to `discard()` above.
        if (!replayed) receiver.keep(city.files.added.map((entry) => entry.file))
        await context.files.remove(city.tenant.id, unreferenced)
        references.push(proposal.referenceCode ?? '')
      } catch (error) {
        return refusal(error, { issuePrefix: city.slug, wordIssue: wordIssueOf(city) })
      }
    }
    return redirect(`/proposals?${new URLSearchParams({ submitted: references.join(' ') })}`)
  }
}

const proposer = (userId: string) => ({ kind: 'proposer' as const, userId })

/**
 * Not reloaded after a refused or previewed submission: the page keeps its
 * idempotency key, so a retry after one city succeeded and another was refused
 * replays the first instead of proposing twice.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult ? false : defaultShouldRevalidate

export default function NewProposal() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<ActionData>()
  const navigation = useNavigation()
  const { t } = useTranslation('proposals')
  const chosen = new Set(data.cities.map((city) => city.slug))
  const busy = navigation.state !== 'idle'
  const summary = errorSummaryOf(data.cities, failure?.fieldErrors ?? {}, {
    type: t('new.type'),
    track: t('new.track'),
    theme: t('new.theme'),
    criteria: t('new.eligibilityHeading'),
    notes: t('new.notesHeading'),
  })
  return (
    <section className="desk-page proposal-form">
      <h1>{t('new.title')}</h1>
      <p>{t('new.intro')}</p>
      {data.organisations.length === 0 ? (
        <p>
          {t('new.noOrganisation')} <Link to="/account">{t('new.toAccount')}</Link>
        </p>
      ) : (
        <Form method="get" className="stack" aria-labelledby="choose-heading">
          <h2 id="choose-heading">{t('new.chooseHeading')}</h2>
          <div className="field">
            <label htmlFor="organisation" className="field__label">
              {t('new.organisation')}
            </label>
            <select id="organisation" name="organisation" defaultValue={data.organisationId ?? undefined}>
              {data.organisations.map((organisation) => (
                <option key={organisation.id} value={organisation.id}>
                  {organisation.name}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend className="field__label">{t('new.cities')}</legend>
            {data.allCities.map((city) => (
              <label key={city.slug} className="choice">
                <input type="checkbox" name="city" value={city.slug} defaultChecked={chosen.has(city.slug)} />{' '}
                {city.name}
              </label>
            ))}
          </fieldset>
          {data.preselectedTheme ? <input type="hidden" name="theme" value={data.preselectedTheme} /> : null}
          <button type="submit" className="button">
            {t('new.showForms')}
          </button>
        </Form>
      )}

      {data.cities.length > 0 && data.organisationId ? (
        <Form
          method="post"
          encType="multipart/form-data"
          action={`/proposals/new?${new URLSearchParams(data.cities.map((city) => ['city', city.slug]))}`}
          className="stack"
          aria-labelledby="form-heading"
          noValidate
        >
          <h2 id="form-heading">{t('new.formHeading', { count: data.cities.length })}</h2>
          {failure?.formError ? (
            summary.length > 0 ? (
              <ErrorSummary
                title={t(failure.formError, { ns: ['proposals', 'common'] })}
                errors={summary}
                trigger={failure}
              />
            ) : (
              <FocusedAlert trigger={failure}>
                {t(failure.formError, { ns: ['proposals', 'common'] })}
              </FocusedAlert>
            )
          ) : null}
          {failure?.preview ? (
            <section className="preview" aria-labelledby="preview-heading" tabIndex={-1}>
              <h2 id="preview-heading">{t('new.previewHeading')}</h2>
              <p>{t('new.previewIntro')}</p>
              {data.cities.map((city) => (
                <div key={city.slug}>
                  <h3>{city.cityName}</h3>
                  <AnswerList answers={failure.preview?.[city.slug] ?? []} />
                </div>
              ))}
            </section>
          ) : null}
          <input type="hidden" name="organisationId" value={data.organisationId} />
          <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
          {data.cities.map((city) => (
            <CityFormSection
              key={city.slug}
              city={city}
              draft={data.drafts[city.slug]}
              preselectedTheme={data.preselectedTheme}
              errors={failure?.fieldErrors ?? {}}
            />
          ))}
          <div className="button-row">
            <button type="submit" name="intent" value="save" className="button" disabled={busy}>
              {t('new.saveDraft')}
            </button>
            <button type="submit" name="intent" value="preview" className="button" disabled={busy}>
              {t('new.preview')}
            </button>
            <button type="submit" name="intent" value="submit" className="button button--primary">
              {t('new.submit', { count: data.cities.length })}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
