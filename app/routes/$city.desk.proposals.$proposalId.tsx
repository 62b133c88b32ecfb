import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type LinksFunction,
  type SerializeFrom,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { answerViews, formatDate, formatDateTime, formatList } from '@desk/tenant-config'
import { MAX_TEXT_LENGTH } from '@desk/workflow'
import { AgreementOutcomeText, DeskAfterDecisionNav, useEventLabel } from '~/components/after-decision/parts'
import { AnswerList, Definition } from '~/components/definitions'
import { FileList } from '~/components/proposal/file-list'
import { Thread } from '~/components/proposal/thread'
import {
  answerTo,
  CheckboxGroup,
  describedBy,
  FieldMessages,
  FormAlert,
  useIssueMessage,
  useValidatedForm,
  type ActionFailure,
} from '~/components/forms'
import { KnowHowToggle } from '~/components/desk/know-how-toggle'
import { DetailList, StepDetails } from '~/components/proposal/step-details'
import { refusalAtTransitionForm, TransitionForms } from '~/components/proposal/transition-forms'
import { addInternalNote } from '~/operations/dialogue/dialogue.server'
import { actOnProposalPage } from '~/http/post-from-form.server'
import { fields, intents, NoteSchema, transitionInputOf, transitionSchema } from '~/http/form-schemas'
import { proposalTenant } from '~/http/edge.server'
import { toHttpError } from '~/http/errors.server'
import { readProposalPageForStaff } from '~/operations/proposals/read-proposal-page-for-staff.server'
import { similarCasesForProposal } from '~/operations/across-cities/across-cities.server'
import { bilingual } from '~/operations/portal/themes.server'
import { transitionProposal } from '~/operations/proposals/transition-proposal.server'
import { myPart, routeProposal } from '~/operations/routing/routing.server'
import { notAcceptedReason, recordScreening } from '~/operations/screening/screening.server'
import { judgements, SCREENING_NOTE_MAX_LENGTH } from '~/operations/screening/judgements'
import { rememberedSchema } from '~/http/remembered-schema'
import { requireCityRole, withCityRole } from '~/http/guards.server'
import { CITY_STAFF_ROLES } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { agreementOutcome } from '~/operations/agreements/agreement-outcome'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { refusal, type AppFailure } from '~/http/errors.server'
import { pageTitle } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/**
 * One proposal as the city works on it: the answers, where it stands and who
 * leads, screening and routing (desk), the thread with internal notes, and the
 * workflow's next steps. Department staff reach it only once it is routed to them.
 */

/** A city's name in the reader's language, by its slug (its file in the registry). */
function cityNameOf(context: LoaderFunctionArgs['context'], slug: string, locale: string): string {
  const city = context.tenants.get(slug)
  return city ? tenantText(city.config.identity.name, locale, city.config.defaultLocale) : slug
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  // The membership and everything the page shows: one tenant transaction (shared with the desk layout's counts).
  const { staff, tenant, page } = await withCityRole(
    context,
    params.city,
    CITY_STAFF_ROLES,
    request,
    async (staff, tx) => {
      const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
      const page = await readProposalPageForStaff(tx, {
        tenant,
        actor: { kind: 'staff', userId: staff.user.id },
        membership: staff,
        proposalId: params.proposalId ?? '',
        locale,
        ip: context.clientIp,
      }).catch((error: unknown) => {
        // A department sees only what the desk routed to it: say so and who acts next, not "not found".
        if (staff.role === 'department_staff' && toHttpError(error).status === 404) return null
        throw refusal(error)
      })
      return { staff, tenant, page }
    },
  )
  // Published cases of other cities in the proposal's fields: public content only, read as the public after the
  // page's transaction (on Citus the cross-city reader may not follow that request's writes).
  const similar = page
    ? await similarCasesForProposal(context.db, {
        tenantId: tenant.id,
        config: tenant.config,
        proposal: page.view.proposal,
      })
    : []
  const { config } = tenant
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  if (!page) {
    return json(
      {
        notRouted: true as const,
        slug: config.slug,
        cityName: text(config.identity.name),
        title: (await getFixedT(locale))('desk:proposal.notYetRouted.title'),
      },
      { status: 403, headers: { 'Cache-Control': 'no-store' } },
    )
  }
  const { view, screening, thread, files, knowHow } = page
  const { proposal } = view
  const side = staff.role === 'department_staff' ? 'department' : 'desk'
  const track = config.tracks.find((candidate) => candidate.id === proposal.track)
  return json(
    {
      notRouted: false as const,
      slug: config.slug,
      cityName: text(config.identity.name),
      isDesk: side === 'desk',
      side,
      trackLabel: text(track?.label) || proposal.track,
      ended: track?.steps.find((step) => step.id === proposal.state)?.terminal ?? false,
      nextActors: view.nextActors,
      proposal: {
        id: proposal.id,
        title: proposal.title,
        referenceCode: proposal.referenceCode,
        version: proposal.version,
        submittedAt: proposal.submittedAt?.toISOString() ?? null,
      },
      scope: {
        decided: proposal.collaborationMethod !== null,
        experiment: proposal.track === config.experimentSupport?.track,
        disclosure: proposal.submittedAt !== null,
      },
      typeLabel: text(config.proposalTypes.find((type) => type.id === proposal.proposalType)?.label),
      stepLabel: view.stepLabel,
      outcome: agreementOutcome(config, proposal.collaborationMethod, locale, await getFixedT(locale)),
      myPart: myPart(view.lead, side) ?? null,
      symbols: view.lead?.source === 'matrix' ? view.lead.symbols : null,
      answers: answerViews(
        config,
        proposal.proposalType,
        proposal.answers as Record<string, unknown>,
        locale,
      ),
      earlyAnswer: view.earlyAnswer ?? null,
      routedTo: view.departments,
      departments: config.departments.map((department) => ({
        id: department.id,
        label: text(department.name),
      })),
      methods: config.collaborationMethods.map((method) => ({ id: method.id, label: text(method.label) })),
      transitions: view.transitions.map((transition) => ({
        ...transition,
        methods: transition.methods ?? undefined,
      })),
      criteria: config.eligibility.criteria.map((criterion) => ({
        id: criterion.id,
        text: text(criterion.text),
        judgement: screening[criterion.id]?.judgement ?? null,
        note: screening[criterion.id]?.note ?? '',
      })),
      notAcceptedReason: notAcceptedReason(config, screening, locale),
      history: view.history.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
      thread: thread.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
      files,
      knowHow: knowHow.map((mark) => ({ ...mark, markedAt: mark.markedAt.toISOString() })),
      fieldsOfActivity: config.fieldsOfActivity.map((field) => ({
        id: field.id,
        label: text(field.label),
      })),
      similarCases: similar.map((row) => ({
        id: row.id,
        url: `/${row.citySlug}/cases/${row.id}`,
        title: tenantText(bilingual(row.titleJa, row.titleEn), locale, 'ja'),
        city: cityNameOf(context, row.citySlug, locale),
        partner: row.partnerName,
        published: formatDate(row.publishedAt, locale),
      })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

/**
 * The page's forms besides the thread's reply: an internal note, a routing,
 * the screening (a judgement and a note per criterion: `judgement.<id>`,
 * `note.<id>`), and a transition. Options come from the tenant file (the
 * city's departments and collaboration methods, by id). Read by the action
 * and checked in the browser by the routing and screening forms; built once
 * per city's options, not per request.
 */
const deskProposalSchema = rememberedSchema((departments: readonly string[], methods: readonly string[]) =>
  intents([
    NoteSchema,
    z.object({ intent: z.literal('route'), departments: fields.someOf(departments) }),
    z.object({
      intent: z.literal('screening'),
      judgement: z.record(z.enum(['', ...judgements])).default({}),
      note: z
        .record(z.string().trim().max(SCREENING_NOTE_MAX_LENGTH, 'desk:proposal.noteTooLong'))
        .default({}),
    }),
    transitionSchema({ methods, departments }).extend({
      internalComment: fields.optionalText(MAX_TEXT_LENGTH),
    }),
  ]),
)

/** The ids of a city's options (its departments, its methods) the page's schema is built from. */
const idsOf = (options: readonly { id: string }[]) => options.map((option) => option.id)

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireCityRole(context, params.city, CITY_STAFF_ROLES, request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const actor = { kind: 'staff' as const, userId: staff.user.id }
  const proposalId = params.proposalId ?? ''
  const target = { tenant, actor, proposalId }
  return actOnProposalPage(request, context, {
    ...target,
    locale: await getLocale(request),
    pageHref: `/${staff.citySlug}/desk/proposals/${proposalId}`,
    schema: deskProposalSchema(idsOf(tenant.config.departments), idsOf(tenant.config.collaborationMethods)),
    act: (form) => {
      switch (form.intent) {
        case 'note':
          return addInternalNote(context.db, { ...target, body: form.body })
        case 'route':
          return routeProposal(context.db, { ...target, departmentKeys: form.departments })
        case 'screening':
          return recordScreening(context.db, {
            ...target,
            judgements: tenant.config.eligibility.criteria.flatMap((criterion) => {
              const judgement = form.judgement[criterion.id]
              return judgement
                ? [{ criterionId: criterion.id, judgement, note: form.note[criterion.id] ?? '' }]
                : []
            }),
          })
        case 'transition':
          return transitionProposal(context.db, {
            ...target,
            transitionId: form.transitionId,
            input: transitionInputOf(form),
            expectedVersion: form.version,
            internalComment: form.internalComment,
          })
      }
    },
    done: (form): Record<string, string> => {
      if (!form) return { done: 'message' }
      if (form.intent === 'transition') return { done: 'transition', transition: form.transitionId }
      return { done: form.intent }
    },
  })
}

export default function DeskProposal() {
  const data = useLoaderData<typeof loader>()
  if (data.notRouted) return <NotRouted slug={data.slug} />
  return <ProposalWorkspace data={data} />
}

/** A department member at a proposal not (yet) routed to them: who acts next and why, never "not found". */
function NotRouted({ slug }: { slug: string }) {
  const { t } = useTranslation('desk')
  return (
    <section className="desk-page" aria-labelledby="not-routed-heading">
      <h1 id="not-routed-heading">{t('proposal.notYetRouted.title')}</h1>
      <p>{t('proposal.notYetRouted.body')}</p>
      <p>
        <Link to={`/${slug}/desk`}>{t('proposal.notYetRouted.back')}</Link>
      </p>
    </section>
  )
}

type Loaded = Extract<SerializeFrom<typeof loader>, { notRouted: false }>

/**
 * The proposal as a workspace: its status, who acts next and the actions
 * open to the reader beside its content (first on a phone), each action once
 * — routing is part of the step that asks for departments when one is open.
 */
function ProposalWorkspace({ data }: { data: Loaded }) {
  const failure = useActionData<AppFailure>()
  const { t, i18n } = useTranslation('desk')
  const { proposal } = data
  const departmentLabel = (id: string) => data.departments.find((d) => d.id === id)?.label ?? id
  const routingStep = data.transitions.find((transition) => transition.requires.includes('departments'))
  const schema = deskProposalSchema(idsOf(data.departments), idsOf(data.methods))
  const hrefs = {
    agreementHref: `/${data.slug}/desk/proposals/${proposal.id}/agreement`,
    experimentHref: data.scope.experiment
      ? `/${data.slug}/desk/proposals/${proposal.id}/experiment`
      : undefined,
  }
  // The forms on this page show their own refusal; one not on it (a step no longer offered) is said here.
  const formsShown = [
    'message',
    'note',
    ...(data.isDesk ? ['screening', ...(routingStep ? [] : ['route'])] : []),
  ]
  const atItsForm =
    answerTo(failure, ...formsShown) !== undefined ||
    refusalAtTransitionForm(failure, data.transitions, hrefs)
  return (
    <section className="desk-page desk-proposal">
      <p>
        <Link to={`/${data.slug}/desk`}>{t('proposal.back')}</Link>
      </p>
      <h1>{proposal.title || t('inbox.untitled')}</h1>
      {failure?.formError && !atItsForm ? (
        <div className="form-alert" role="alert">
          {t(failure.formError, { ns: 'common' })}
        </div>
      ) : null}
      <div className="desk-proposal__layout">
        <div className="desk-proposal__side">
          <section aria-labelledby="status-heading" className="desk-panel">
            <h2 id="status-heading">{t('proposal.status')}</h2>
            <dl className="facts">
              <Definition term={t('inbox.reference')}>
                {proposal.referenceCode ?? t('inbox.preSubmission')}
              </Definition>
              <Definition term={t('proposal.type')}>{data.typeLabel}</Definition>
              <Definition term={t('inbox.track')}>{data.trackLabel}</Definition>
              <Definition term={t('inbox.state')}>{data.stepLabel}</Definition>
              {data.outcome ? (
                <Definition term={t('outcome.term', { ns: 'after' })}>
                  <AgreementOutcomeText outcome={data.outcome} />
                </Definition>
              ) : null}
              {data.myPart ? (
                <Definition term={t('proposal.myPart')}>
                  {t(`proposal.parts.${data.myPart}`)}
                  {data.symbols ? ` (${t('proposal.symbols', data.symbols)})` : ''}
                </Definition>
              ) : null}
              {data.earlyAnswer ? (
                <Definition term={t('inbox.due')}>
                  {formatDate(data.earlyAnswer.dueOn, i18n.language)}
                  {data.earlyAnswer.overdue && !data.earlyAnswer.answered ? (
                    <strong className="badge badge--alert"> {t('inbox.overdue')}</strong>
                  ) : null}
                </Definition>
              ) : null}
              <Definition term={t('proposal.routedTo')}>
                {formatList(data.routedTo.map(departmentLabel), i18n.language) || t('proposal.notRouted')}
              </Definition>
            </dl>
          </section>
          <NextActors data={data} />
          <TransitionForms
            transitions={data.transitions}
            version={proposal.version}
            methods={data.methods}
            departments={data.departments}
            routedTo={data.routedTo}
            failure={failure}
            defaultReason={data.notAcceptedReason || undefined}
            {...hrefs}
          />
          {data.isDesk ? (
            <section aria-labelledby="routing-heading" className="desk-panel">
              <h2 id="routing-heading">{t('proposal.routing')}</h2>
              {routingStep ? (
                <p>{t('proposal.routingInTransition', { transition: routingStep.label })}</p>
              ) : (
                <RoutingForm
                  departments={data.departments}
                  routedTo={data.routedTo}
                  schema={schema}
                  failure={answerTo(failure, 'route')}
                />
              )}
            </section>
          ) : null}
          <DeskAfterDecisionNav
            slug={data.slug}
            proposalId={proposal.id}
            isDesk={data.isDesk}
            scope={data.scope}
          />
        </div>
        <div className="desk-proposal__main">
          <section aria-labelledby="answers-heading">
            <h2 id="answers-heading">{t('proposal.answers')}</h2>
            <AnswerList answers={data.answers} className="answers" />
          </section>

          <FileList files={data.files} href={(id) => `/${data.slug}/desk/attachments/${id}`} />

          {data.isDesk ? (
            <Screening criteria={data.criteria} schema={schema} failure={answerTo(failure, 'screening')} />
          ) : null}

          <Thread
            entries={data.thread}
            downloadHref={(id) => `/${data.slug}/desk/attachments/${id}`}
            failure={failure}
            allowNotes
            noteExtras={(noteId) => (
              <KnowHowToggle
                slug={data.slug}
                noteId={noteId}
                mark={data.knowHow.find((mark) => mark.noteId === noteId)}
                fields={data.fieldsOfActivity}
                backTo={`/${data.slug}/desk/proposals/${proposal.id}`}
              />
            )}
          />

          <SimilarCases cases={data.similarCases} />

          <History data={data} departmentLabel={departmentLabel} />
        </div>
      </div>
    </section>
  )
}

/** Published cases of other cities in the proposal's fields (what they chose to publish; nothing of their proposals). */
function SimilarCases({ cases }: { cases: Loaded['similarCases'] }) {
  const { t } = useTranslation('desk')
  return (
    <section aria-labelledby="similar-heading">
      <h2 id="similar-heading">{t('proposal.similar.title')}</h2>
      <p>{t('proposal.similar.lead')}</p>
      {cases.length === 0 ? (
        <p>{t('proposal.similar.none')}</p>
      ) : (
        <ul>
          {cases.map((row) => (
            <li key={row.id}>
              <a href={row.url}>{row.title}</a> — {row.city}
              {t('proposal.similar.meta', { partner: row.partner, published: row.published })}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** Who moves the proposal on from here and how: the reader's side first, then the others; why, when the reader cannot. */
function NextActors({ data }: { data: Loaded }) {
  const { t, i18n } = useTranslation('desk')
  const list = new Intl.ListFormat(i18n.language, { type: 'disjunction' })
  const quoted = (labels: string[]) => list.format(labels.map((label) => t('proposal.quoted', { label })))
  const actors = [
    ...(data.transitions.length > 0
      ? [
          {
            side: data.side,
            name: t('proposal.you', { side: t(`proposal.sides.${data.side}`) }),
            transitions: data.transitions.map((transition) => transition.label),
          },
        ]
      : []),
    ...data.nextActors.map((actor) => ({ ...actor, name: t(`proposal.sides.${actor.side}`) })),
  ]
  return (
    <section aria-labelledby="next-heading" className="desk-panel">
      <h2 id="next-heading">{t('proposal.nextHeading')}</h2>
      {data.ended ? (
        <p>{t('proposal.ended', { step: data.stepLabel })}</p>
      ) : (
        <>
          {data.transitions.length === 0 ? (
            <p>
              {t('proposal.noActionForYou', {
                step: data.stepLabel,
                side: t(`proposal.sides.${data.side}`),
              })}
            </p>
          ) : null}
          {actors.length > 0 ? (
            <ul className="plain-list next-actors">
              {actors.map((actor) => (
                <li key={actor.side}>
                  <strong>{actor.name}</strong>
                  {t('proposal.separator')}
                  {quoted(actor.transitions)}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('proposal.nobody')}</p>
          )}
        </>
      )}
    </section>
  )
}

/** The page's schema (the action's): the routing and the screening forms check with it in the browser. */
type PageSchema = ReturnType<typeof deskProposalSchema>

/** The desk's routing to departments (when no step of the workflow routes): refused, the boxes sent are checked again. */
function RoutingForm({
  departments,
  routedTo,
  schema,
  failure,
}: {
  departments: Loaded['departments']
  routedTo: string[]
  schema: PageSchema
  failure: ActionFailure | undefined
}) {
  const { t } = useTranslation('desk')
  const { form, errors, values, alert } = useValidatedForm({ id: 'routing-form', schema, failure })
  return (
    <Form method="post" className="stack" aria-labelledby="routing-heading" {...form}>
      <FormAlert
        {...alert}
        labels={{ departments: t('proposal.departments') }}
        ids={{ departments: 'routing-departments' }}
      />
      <input type="hidden" name="intent" value="route" />
      <CheckboxGroup
        id="routing-departments"
        name="departments"
        label={t('proposal.departments')}
        options={departments.map((department) => ({ value: department.id, label: department.label }))}
        defaultValue={routedTo}
        errors={errors}
        values={values}
      />
      <button type="submit" className="button">
        {t('proposal.route')}
      </button>
    </Form>
  )
}

/**
 * The screening: a judgement and a note per criterion, a row each (the row's
 * criterion and the column name each control). Refused, the summary links to
 * the refused cell, whose message is under its control, and every judgement
 * and note sent is shown again.
 */
function Screening({
  criteria,
  schema,
  failure,
}: {
  criteria: Loaded['criteria']
  schema: PageSchema
  failure: ActionFailure | undefined
}) {
  const { t } = useTranslation('desk')
  const issueMessage = useIssueMessage()
  const { form, errors, values, alert } = useValidatedForm({ id: 'screening-form', schema, failure })
  const cells = criteria.flatMap((criterion) => [
    {
      name: `judgement.${criterion.id}`,
      id: `screening-judgement-${criterion.id}`,
      label: t('proposal.judgementFor', { criterion: criterion.text }),
    },
    {
      name: `note.${criterion.id}`,
      id: `screening-note-${criterion.id}`,
      label: t('proposal.noteFor', { criterion: criterion.text }),
    },
  ])
  /** A cell's control: its accessible name, its message tied to it, what was sent (else what is recorded). */
  const cell = (name: string, recorded: string) => {
    const { id, label } = cells.find((candidate) => candidate.name === name)!
    const error = issueMessage(errors[name])
    const sent = values?.[name]
    return {
      control: {
        id,
        name,
        'aria-label': label,
        ...describedBy(id, { error }),
        defaultValue: (Array.isArray(sent) ? sent[0] : sent) ?? recorded,
      },
      message: <FieldMessages id={id} error={error} />,
    }
  }
  return (
    <section aria-labelledby="screening-heading">
      <h2 id="screening-heading">{t('proposal.screening')}</h2>
      <Form method="post" className="stack" aria-labelledby="screening-heading" {...form}>
        <FormAlert
          {...alert}
          labels={Object.fromEntries(cells.map(({ name, label }) => [name, label]))}
          ids={Object.fromEntries(cells.map(({ name, id }) => [name, id]))}
        />
        <input type="hidden" name="intent" value="screening" />
        <table className="screening-table">
          <caption className="visually-hidden">{t('proposal.screening')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('proposal.criterion')}</th>
              <th scope="col">{t('proposal.judgement')}</th>
              <th scope="col">{t('proposal.note')}</th>
            </tr>
          </thead>
          <tbody>
            {criteria.map((criterion) => {
              const judgement = cell(`judgement.${criterion.id}`, criterion.judgement ?? '')
              const note = cell(`note.${criterion.id}`, criterion.note)
              return (
                <tr key={criterion.id}>
                  <th scope="row">{criterion.text}</th>
                  <td>
                    {judgement.message}
                    <select {...judgement.control}>
                      <option value="">{t('proposal.notJudged')}</option>
                      {judgements.map((choice) => (
                        <option key={choice} value={choice}>
                          {t(`proposal.judgements.${choice}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {note.message}
                    <textarea rows={2} {...note.control} />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <button type="submit" className="button">
          {t('proposal.saveScreening')}
        </button>
      </Form>
    </section>
  )
}

/**
 * The timeline: one entry per step, with every note, reason and decision the
 * step asked for, and the city's own routing and remarks (marked internal).
 */
function History({ data, departmentLabel }: { data: Loaded; departmentLabel: (id: string) => string }) {
  const { t, i18n } = useTranslation('desk')
  const eventLabel = useEventLabel()
  const methodLabel = (id: string) => data.methods.find((method) => method.id === id)?.label ?? id
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('proposal.history')}</h2>
      <ol className="plain-list history">
        {data.history.map((entry) => {
          // A step's companion row, or an internal event of its own (a routing made with the routing form).
          const internal = (entry.internalPayload ?? (entry.internal ? entry.payload : {})) as {
            departments?: string[]
            comment?: string
          }
          const internalDetails: [string, string | undefined][] = [
            [
              t('proposal.detail.departments'),
              internal.departments && formatList(internal.departments.map(departmentLabel), i18n.language),
            ],
            [t('proposal.detail.comment'), internal.comment],
          ]
          return (
            <li key={entry.id} className="history__entry">
              <p className="history__title">
                <time dateTime={entry.at}>{formatDateTime(entry.at, i18n.language)}</time> —{' '}
                {eventLabel(entry)} → {entry.toLabel}
                {entry.internal ? (
                  <strong className="badge badge--note"> {t('proposal.internal')}</strong>
                ) : null}
              </p>
              <StepDetails entry={entry} methodLabel={methodLabel} />
              <DetailList details={internalDetails} internal />
            </li>
          )
        })}
      </ol>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = (args) => [
  pageTitle(args, (data) => `${data.notRouted ? data.title : data.proposal.title} | ${data.cityName}`),
]

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
