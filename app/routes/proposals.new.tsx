import { randomUUID } from 'node:crypto'
import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type LinksFunction,
  type MetaFunction,
} from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import { useRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { z } from 'zod'
import { answerViews, readFormIssue } from '@desk/tenant-config'
import { AnswerList } from '~/components/definitions'
import { CityFormSection } from '~/components/proposal/city-form-section'
import {
  CheckboxGroup,
  ErrorSummary,
  FocusedAlert,
  RefusedQueryNotice,
  SelectField,
  useValidatedForm,
} from '~/components/forms'
import { cityFormView, errorSummaryOf, wordFormIssue, type CityFormView } from '~/http/city-form'
import { fields as formFields, type FormValues } from '~/http/form-schemas'
import { readQuery } from '~/http/form-validation.server'
import { chosenTypesOf, intentOf, proposalSubmissionSchema } from '~/http/proposal-submission'
import { actOnProposalForm } from '~/http/proposal-form.server'
import { proposalTenant } from '~/http/edge.server'
import type { ProposalTenant } from '~/operations/proposals/context.server'
import { readDraft } from '~/operations/proposals/save-proposal-draft.server'
import {
  previewProposals,
  saveProposalDrafts,
  submitProposals,
  type CityPart,
} from '~/operations/proposals/proposals-for-cities.server'
import { listOpenThemes } from '~/operations/themes/themes.server'
import { readAccountOverview } from '~/operations/accounts/accounts.server'
import { requireUser } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { refusal, type AppFailure } from '~/http/errors.server'
import type { AppErrorDetails } from '~/operations/app-error'
import { titleMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/**
 * One form for one city or several: common choices at the top (organisation,
 * cities), then each city's own type, theme, fields, eligibility check and
 * notes. "Save draft" keeps one draft per city to come back to; "Preview"
 * checks everything and shows it read-only; "Submit" checks every city first
 * and only then submits one independent proposal per city. The hidden
 * idempotency key makes a double click, a refresh or a retry submit once.
 */

type Draft = Extract<Awaited<ReturnType<typeof readDraft>>, { draft: unknown }>['draft']
type SubmittedCity = { slug: string; proposalId: string; referenceCode: string }

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const url = new URL(request.url)
  const { organisations } = await readAccountOverview(context.db, user.id)
  // The choice of organisation and cities is a form: one the reader cannot choose is refused at its field (400),
  // and the page shows the choice without it (the first organisation, the other cities), and says so.
  const {
    value: choice,
    fieldErrors,
    values,
  } = readQuery(
    url.searchParams,
    z.object({
      organisation: formFields.oneOf(organisations.map((organisation) => organisation.id)).optional(),
      city: formFields.someOf(context.tenants.list().map((tenant) => tenant.slug)),
    }),
  )
  const drafts = new Map<string, Draft>()
  // Drafts named by the link that were submitted since: their cities are named as submitted, not offered again.
  const submittedDrafts: SubmittedCity[] = []
  // Drafts to a city closed since they were saved (suspended): kept as saved, not read; the page says why.
  const closedDrafts: { slug: string; cityName: string; proposalId: string }[] = []
  for (const value of url.searchParams.getAll('draft')) {
    const [slug, draftId] = value.split(':')
    const registered = context.tenants.get(slug ?? '')
    if (registered && registered.status !== 'live' && draftId) {
      const { config } = registered
      closedDrafts.push({
        slug: config.slug,
        cityName: tenantText(config.identity.name, locale, config.defaultLocale),
        proposalId: draftId,
      })
    }
    if (registered?.status !== 'live') continue
    const tenant = await proposalTenant(context, slug)
    try {
      const read = await readDraft(context.db, { tenant, actor: proposer(user.id), draftId: draftId ?? '' })
      if ('draft' in read) drafts.set(tenant.config.slug, read.draft)
      else submittedDrafts.push({ slug: tenant.config.slug, ...read.submitted })
    } catch (error) {
      refusal(error)
    }
  }
  // Only a live city takes proposals (a draft or suspended one is not offered, whatever the link says).
  const slugs = [
    ...new Set([...choice.city, ...drafts.keys(), ...submittedDrafts.map((done) => done.slug)]),
  ].filter((slug) => context.tenants.get(slug)?.status === 'live')
  const organisationId =
    choice.organisation ?? [...drafts.values()][0]?.organisationId ?? organisations[0]?.id
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
      submittedDrafts,
      closedDrafts,
      idempotencyKey: randomUUID(),
      fieldErrors,
      values,
    },
    { status: Object.keys(fieldErrors).length > 0 ? 400 : 200, headers: { 'Cache-Control': 'no-store' } },
  )
}

type ActionData = AppFailure & {
  preview?: Record<string, { label: string; value: string }[]>
  /** What was posted, by input name (files aside): the form shows it again, with or without JavaScript. */
  values?: FormValues
  /** A later city refused after these cities' proposals were submitted (they went through). */
  submitted?: AppErrorDetails['submitted']
  /** The later city failed rather than refused: nothing to correct, the proposer sends it again. */
  submissionFailed?: boolean
  /** Chosen cities that stopped taking proposals after the form was shown: nothing was sent, they leave the form. */
  closed?: { slug: string; cityName: string }[]
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const chosen = new URL(request.url).searchParams.getAll('city')
  const isLive = (slug: string) => context.tenants.get(slug)?.status === 'live'
  const tenants: ProposalTenant[] = []
  for (const slug of chosen.filter(isLive)) tenants.push(await proposalTenant(context, slug))
  // A city suspended since the form was shown (a known city no longer live): its part is not read.
  const closed = chosen.flatMap((slug) => {
    const tenant = context.tenants.get(slug)
    return tenant && !isLive(slug)
      ? [{ slug, cityName: tenantText(tenant.config.identity.name, locale, tenant.config.defaultLocale) }]
      : []
  })
  const actor = proposer(user.id)
  return actOnProposalForm(request, context, { tenants, locale, t }, async (form) => {
    // Nothing is saved or sent while a chosen city is closed: sent to the others alone, the proposer would
    // believe it went to every city they chose. The page drops that city and keeps every answer.
    if (closed.length > 0)
      return json<ActionData>(
        { formError: 'proposals:new.notAccepting.alert', fieldErrors: {}, values: form.values, closed },
        { status: 409 },
      )
    const { intent, cities } = form
    if (intent === 'save') {
      const saved: string[] = []
      await saveProposalDrafts(context.db, {
        actor,
        cities,
        onSaved: async (city, draft) => {
          await form.committed(city, { linked: true, unreferenced: draft.unreferenced })
          saved.push(`${city.tenant.config.slug}:${draft.proposalId}`)
        },
      })
      return redirect(
        `/proposals/new?${new URLSearchParams([...saved.map((value) => ['draft', value]), ['saved', '1']])}`,
      )
    }
    if (intent === 'preview') {
      const previews = await previewProposals(context.db, { actor, cities })
      return json<ActionData>({
        formError: '',
        fieldErrors: {},
        values: form.values,
        preview: Object.fromEntries(
          cities.map((city, index) => [
            city.tenant.config.slug,
            previewOf(city, previews[index]!, locale, t),
          ]),
        ),
      })
    }
    const references: string[] = []
    await submitProposals(context.db, {
      actor,
      cities,
      idempotencyKey: form.idempotencyKey,
      // A replayed submission linked no file (the first one has its own): this request's copies are not kept.
      onSubmitted: async (city, { proposal, replayed, unreferenced }) => {
        await form.committed(city, { linked: !replayed, unreferenced })
        references.push(proposal.referenceCode ?? '')
      },
    })
    return redirect(`/proposals?${new URLSearchParams({ submitted: references.join(' ') })}`)
  })
}

/** The preview of one city's proposal: the choices made above the answers (type, track, theme) by their labels, then the answers. */
function previewOf(
  city: CityPart,
  preview: Awaited<ReturnType<typeof previewProposals>>[number],
  locale: string,
  t: TFunction,
) {
  const { config } = city.tenant
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  const type = config.proposalTypes.find((candidate) => candidate.id === preview.proposalType)
  const tracks = config.tracks.filter((track) => track.proposalTypes.includes(preview.proposalType))
  const track = tracks.find((candidate) => candidate.id === city.proposal.trackId) ?? tracks[0]
  return [
    { label: t('proposals:new.type'), value: type ? text(type.label) : '' },
    ...(track ? [{ label: t('proposals:new.track'), value: text(track.label) }] : []),
    ...(preview.theme
      ? [
          {
            label: t('proposals:new.theme'),
            value: (locale === 'en' && preview.theme.titleEn) || preview.theme.titleJa,
          },
        ]
      : []),
    ...answerViews(config, preview.proposalType, preview.answers, locale),
  ]
}

const proposer = (userId: string) => ({ kind: 'proposer' as const, userId })

/** The query the proposal form posts to: its cities, the drafts it continues, its organisation. */
function formAddress(
  data: { organisationId: string | null; drafts: Record<string, { id: string }> },
  cities: { slug: string }[],
) {
  return new URLSearchParams([
    ...cities.map((city) => ['city', city.slug]),
    ...cities.flatMap((city) => {
      const draft = data.drafts[city.slug]
      return draft ? [['draft', `${city.slug}:${draft.id}`]] : []
    }),
    ...(data.organisationId ? [['organisation', data.organisationId]] : []),
  ])
}

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
  const { t, i18n } = useTranslation('proposals')
  // The cities already submitted leave the form: a resubmission goes to the others only. Relying on
  // the idempotent replay instead would keep forms that can no longer change anything — what the
  // proposer edits there, or a file chosen again, would be silently dropped by the replay.
  // Without JavaScript the page is loaded again after the post: a draft submitted by it is named by the loader.
  const submitted = [
    ...(failure?.submitted ?? []),
    ...data.submittedDrafts.filter((done) => !failure?.submitted?.some((other) => other.slug === done.slug)),
  ].flatMap(({ slug, proposalId, referenceCode }) => {
    const city = data.cities.find((candidate) => candidate.slug === slug)
    return city ? [{ slug, cityName: city.cityName, proposalId, referenceCode }] : []
  })
  const closed = failure?.closed ?? []
  const cities = data.cities.filter(
    (city) =>
      !submitted.some((done) => done.slug === city.slug) && !closed.some((shut) => shut.slug === city.slug),
  )
  const chosen = new Set(cities.map((city) => city.slug))
  const busy = navigation.state !== 'idle'
  // The browser checks the form with the action's own schema, for the types chosen when it was checked.
  const checkedTypes = useRef<Record<string, string>>({})
  const {
    form,
    errors: issues,
    alert,
  } = useValidatedForm({
    id: 'proposal-form',
    schema: (formData) => {
      checkedTypes.current = chosenTypesOf(formData, cities)
      return proposalSubmissionSchema(cities, checkedTypes.current, intentOf(formData))
    },
    failure,
  })
  // The browser's messages are keys and values, as the action's were before it worded them.
  const errors = Object.fromEntries(
    Object.entries(issues).map(([key, message]) => {
      const city = cities.find((candidate) => key.startsWith(`${candidate.slug}.`))
      const worded =
        city && readFormIssue(message)
          ? wordFormIssue(message, {
              config: city.rules,
              proposalTypeId: checkedTypes.current[city.slug] ?? '',
              locale: i18n.language,
              t: i18n.t,
            })
          : i18n.t(message, { defaultValue: message })
      return [key, worded]
    }),
  )
  const summary = errorSummaryOf(cities, errors, {
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
      {data.closedDrafts.length > 0 ? (
        <NotAcceptingNotice
          id="closed-drafts-heading"
          message="new.notAccepting.draftKept"
          cityNames={data.closedDrafts.map((draft) => draft.cityName)}
        >
          <p>
            <Link to="/proposals">{t('new.notAccepting.toMine')}</Link>
          </p>
        </NotAcceptingNotice>
      ) : null}

      {data.organisations.length === 0 ? (
        <p>
          {t('new.noOrganisation')} <Link to="/account">{t('new.toAccount')}</Link>
        </p>
      ) : (
        <Form method="get" className="stack" aria-labelledby="choose-heading">
          <h2 id="choose-heading">{t('new.chooseHeading')}</h2>
          <RefusedQueryNotice
            errors={data.fieldErrors}
            fields={['organisation', 'city']}
            message={t('new.refusedChoice')}
          />
          <SelectField
            name="organisation"
            label={t('new.organisation')}
            options={data.organisations.map((organisation) => ({
              value: organisation.id,
              label: organisation.name,
            }))}
            defaultValue={data.organisationId}
            errors={data.fieldErrors}
            values={data.values}
          />
          <CheckboxGroup
            name="city"
            label={t('new.cities')}
            options={data.allCities.map((city) => ({ value: city.slug, label: city.name }))}
            defaultValue={[...chosen]}
            errors={data.fieldErrors}
            values={data.values}
          />
          {data.preselectedTheme ? <input type="hidden" name="theme" value={data.preselectedTheme} /> : null}
          <button type="submit" className="button">
            {t('new.showForms')}
          </button>
        </Form>
      )}

      {submitted.length > 0 ? (
        <section className="notice" aria-labelledby="submitted-heading">
          <h2 id="submitted-heading" className="notice__title">
            {t(cities.length > 0 ? 'new.partlySubmitted.heading' : 'new.partlySubmitted.headingAll')}
          </h2>
          <p>{t('new.partlySubmitted.intro')}</p>
          <ul>
            {submitted.map((done) => (
              <li key={done.slug}>
                <Link to={`/proposals/${done.slug}/${done.proposalId}`}>
                  {t('new.partlySubmitted.item', { city: done.cityName, reference: done.referenceCode })}
                </Link>
              </li>
            ))}
          </ul>
          {cities.length > 0 ? (
            <p>
              {t(
                failure?.submissionFailed
                  ? 'new.partlySubmitted.remainingAfterFailure'
                  : 'new.partlySubmitted.remaining',
                {
                  cities: cities.map((city) => city.cityName).join(t('new.partlySubmitted.separator')),
                },
              )}
            </p>
          ) : null}
        </section>
      ) : null}

      {closed.length > 0 ? (
        <NotAcceptingNotice
          id="closed-heading"
          message="new.notAccepting.cities"
          cityNames={closed.map((city) => city.cityName)}
        >
          {cities.length > 0 ? <p>{t('new.notAccepting.remaining')}</p> : null}
        </NotAcceptingNotice>
      ) : null}

      {cities.length > 0 && data.organisationId ? (
        <Form
          method="post"
          encType="multipart/form-data"
          // The page's own address, drafts and organisation included: without JavaScript the page after the post
          // is loaded from it, and a refused or previewed form keeps its drafts (their saved files, draft ids).
          action={`/proposals/new?${formAddress(data, cities)}`}
          className="stack"
          aria-labelledby="form-heading"
          {...form}
          // Never the browser's own check of the fields marked required, also before JavaScript runs: a draft is
          // saved incomplete, and a refused form gets the action's summary of every error at once.
          noValidate
        >
          <h2 id="form-heading">{t('new.formHeading', { count: cities.length })}</h2>
          {summary.length > 0 ? (
            <ErrorSummary title={t('new.correctErrors')} errors={summary} trigger={alert.trigger} />
          ) : failure?.formError ? (
            <FocusedAlert trigger={failure}>
              {t(failure.formError, { ns: ['proposals', 'common'] })}
            </FocusedAlert>
          ) : null}
          {failure?.preview ? (
            <section className="preview" aria-labelledby="preview-heading" tabIndex={-1}>
              <h2 id="preview-heading">{t('new.previewHeading')}</h2>
              <p>{t('new.previewIntro')}</p>
              {cities.map((city) => (
                <div key={city.slug}>
                  <h3>{city.cityName}</h3>
                  <AnswerList answers={failure.preview?.[city.slug] ?? []} />
                </div>
              ))}
            </section>
          ) : null}
          <input type="hidden" name="organisationId" value={data.organisationId} />
          <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
          {cities.map((city) => (
            <CityFormSection
              // Drawn anew once a save made a new version of the draft: the files chosen before it are now its
              // saved files, and left in their inputs they would be sent (and attached) a second time.
              key={`${city.slug}:${data.drafts[city.slug]?.version ?? 0}`}
              city={city}
              draft={data.drafts[city.slug]}
              preselectedTheme={data.preselectedTheme}
              errors={errors}
              values={failure?.values}
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
              {t('new.submit', { count: cities.length })}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'

/** Cities not taking proposals now, named in the reader's `message`, with what the reader can do next. */
function NotAcceptingNotice({
  id,
  message,
  cityNames,
  children,
}: {
  id: string
  message: 'new.notAccepting.draftKept' | 'new.notAccepting.cities'
  cityNames: string[]
  children?: ReactNode
}) {
  const { t } = useTranslation('proposals')
  return (
    <section className="notice" aria-labelledby={id}>
      <h2 id={id} className="notice__title">
        {t('new.notAccepting.heading')}
      </h2>
      <p>{t(message, { cities: cityNames.join(t('new.partlySubmitted.separator')) })}</p>
      {children}
    </section>
  )
}
