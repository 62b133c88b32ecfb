import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type LinksFunction,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDate, formatDateTime, formatList } from '@desk/tenant-config'
import { transitionOf } from '@desk/workflow'
import { ReportHandOff } from '~/components/after-decision/experiment'
import {
  AgreementOutcomeText,
  ProposerAfterDecisionNav,
  useEventLabel,
} from '~/components/after-decision/parts'
import { AnswerList, Definition } from '~/components/definitions'
import { StepDetails } from '~/components/proposal/step-details'
import { refusalAtTransitionForm, TransitionForms } from '~/components/proposal/transition-forms'
import { FileList } from '~/components/proposal/file-list'
import { Thread } from '~/components/proposal/thread'
import { answerTo } from '~/components/forms'
import { actOnProposalPage } from '~/http/post-from-form.server'
import { transitionInputOf, transitionSchema } from '~/http/form-schemas'
import { proposalTenant } from '~/http/edge.server'
import { agreementOutcome } from '~/operations/agreements/agreement-outcome'
import { awaitsReport } from '~/operations/experiments/experiments.server'
import type { ProposalTenant } from '~/operations/proposals/context.server'
import { isSubmitTransition } from '~/operations/proposals/record-transition.server'
import { readProposalPageForProposer } from '~/operations/proposals/read-proposal-page-for-proposer.server'
import { transitionProposal } from '~/operations/proposals/transition-proposal.server'
import { requireUser } from '~/http/guards.server'
import { inRequestTransaction } from '~/http/request-transaction.server'
import { getFixedT } from '~/utils/i18n.server'
import { pageTitle } from '~/utils/page-meta'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { refusal, type AppFailure } from '~/http/errors.server'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/**
 * The proposer's view of one proposal: what they sent (type, support track,
 * theme, every answer and file), where it stands and whose turn it is, what
 * they may do, its history and the thread with the desk.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const tenant = await proposalTenant(context, params.city)
  const actor = { kind: 'proposer' as const, userId: user.id }
  try {
    // Where it stands, the thread and the files: one tenant transaction.
    const { status, thread, files } = await inRequestTransaction(
      context,
      request,
      { tenantId: tenant.id, userId: user.id, actor: 'proposer' },
      ({ tx }) =>
        readProposalPageForProposer(tx, { tenant, actor, proposalId: params.proposalId ?? '', locale }),
    )
    const { config } = tenant
    const accepting = context.tenants.get(config.slug)?.status === 'live'
    return json(
      {
        slug: config.slug,
        cityName: tenantText(config.identity.name, locale, config.defaultLocale),
        /** The city takes proposals now: a draft to a city suspended since waits, kept as saved. */
        accepting,
        proposal: { ...status.proposal, submittedAt: status.proposal.submittedAt?.toISOString() ?? null },
        stepLabel: status.stepLabel,
        outcome: agreementOutcome(
          config,
          status.proposal.collaborationMethod,
          locale,
          await getFixedT(locale),
        ),
        turn: status.turn.map((lane) => lane.label),
        // A draft is submitted with its answers through the proposal form, not by a bare button.
        // A suspended city takes no change (the database refuses it): no step is offered until it opens again.
        transitions: accepting
          ? status.transitions.filter((transition) => !submitsDraft(tenant, status.proposal, transition.id))
          : [],
        earlyAnswer: status.earlyAnswer ?? null,
        history: status.history.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
        submission: status.submission,
        scope: {
          decided: status.proposal.collaborationMethod !== null,
          experiment: status.proposal.track === config.experimentSupport?.track,
          disclosure: status.history.some((entry) => entry.transition === 'disclosure_requested'),
        },
        thread: thread.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
        files,
        // At the report step the report is the proposer's to hand in: the page leads them to its upload.
        reportHandOff: awaitsReport(tenant, status.proposal)
          ? {
              requirement: config.experimentSupport?.reportRequirement
                ? tenantText(config.experimentSupport.reportRequirement, locale, config.defaultLocale)
                : null,
            }
          : null,
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    throw refusal(error)
  }
}

/** The proposer's transition forms: no method or department is theirs to choose. */
const ProposerTransitionSchema = transitionSchema({ methods: [], departments: [] })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const tenant = await proposalTenant(context, params.city)
  const actor = { kind: 'proposer' as const, userId: user.id }
  const proposalId = params.proposalId ?? ''
  return actOnProposalPage(request, context, {
    tenant,
    actor,
    proposalId,
    locale: await getLocale(request),
    pageHref: `/proposals/${tenant.config.slug}/${proposalId}`,
    schema: ProposerTransitionSchema,
    act: (form) =>
      transitionProposal(context.db, {
        tenant,
        actor,
        proposalId,
        transitionId: form.transitionId,
        input: transitionInputOf(form),
        expectedVersion: form.version,
      }),
  })
}

function submitsDraft(
  tenant: ProposalTenant,
  proposal: { track: string; submittedAt: Date | null },
  transitionId: string,
) {
  const track = tenant.config.tracks.find((candidate) => candidate.id === proposal.track)
  const transition = track ? transitionOf(track, transitionId) : undefined
  return !proposal.submittedAt && !!track && !!transition && isSubmitTransition(track, transition)
}

export default function ProposalForProposer() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t, i18n } = useTranslation('proposals')
  const eventLabel = useEventLabel()
  const locale = i18n.language
  const { proposal, submission } = data
  const experimentHref = data.scope.experiment
    ? `/proposals/${data.slug}/${proposal.id}/experiment`
    : undefined
  const choices = [
    { label: t('detail.type'), value: submission.typeLabel },
    { label: t('detail.track'), value: submission.trackLabel },
    ...(submission.themeTitle ? [{ label: t('detail.theme'), value: submission.themeTitle }] : []),
  ]
  return (
    <section className="desk-page proposer-proposal">
      <p>
        <Link to="/proposals">{t('mine.back')}</Link>
      </p>
      <h1>{proposal.title || t('mine.untitled')}</h1>
      <dl className="facts">
        <Definition term={t('detail.city')}>{data.cityName}</Definition>
        <Definition term={t('detail.reference')}>{proposal.referenceCode ?? t('mine.draft')}</Definition>
        {proposal.submittedAt ? (
          <Definition term={t('detail.submittedOn')}>
            <time dateTime={proposal.submittedAt}>{formatDate(new Date(proposal.submittedAt), locale)}</time>
          </Definition>
        ) : null}
        <Definition term={t('detail.state')}>{data.stepLabel}</Definition>
        <Definition term={t('detail.turn')}>{formatList(data.turn, locale)}</Definition>
        {data.outcome ? (
          <Definition term={t('outcome.term', { ns: 'after' })}>
            <AgreementOutcomeText outcome={data.outcome} />
          </Definition>
        ) : null}
        {data.earlyAnswer ? (
          <Definition
            term={t(
              data.earlyAnswer.targetIsPlatformDefault ? 'detail.earlyAnswerEstimate' : 'detail.earlyAnswer',
            )}
          >
            {data.earlyAnswer.answered ? t('detail.answered') : formatDate(data.earlyAnswer.dueOn, locale)}
            {data.earlyAnswer.targetIsPlatformDefault && !data.earlyAnswer.answered ? (
              <small> {t('detail.earlyAnswerEstimateNote')}</small>
            ) : null}
          </Definition>
        ) : null}
      </dl>
      {/* The thread's reply and the steps offered show their own refusal. */}
      {failure?.formError &&
      !answerTo(failure, 'message') &&
      !refusalAtTransitionForm(failure, data.transitions, { experimentHref }) ? (
        <div className="form-alert" role="alert">
          {t(failure.formError, { ns: 'common' })}
        </div>
      ) : null}
      {!data.accepting ? (
        <section className="notice" aria-labelledby="draft-waits-heading">
          <h2 id="draft-waits-heading" className="notice__title">
            {t('detail.notAccepting.heading', { city: data.cityName })}
          </h2>
          <p>{t(proposal.submittedAt ? 'detail.notAccepting.submittedBody' : 'detail.notAccepting.body')}</p>
        </section>
      ) : null}
      {!proposal.submittedAt && data.accepting ? (
        <p>
          <Link
            className="button button--primary"
            to={`/proposals/new?${new URLSearchParams({ draft: `${data.slug}:${proposal.id}` })}`}
          >
            {t('detail.continue')}
          </Link>
        </p>
      ) : null}
      {data.reportHandOff ? (
        <ReportHandOff
          href={`/proposals/${data.slug}/${proposal.id}/experiment`}
          requirement={data.reportHandOff.requirement}
        />
      ) : null}
      <section aria-labelledby="content-heading" className="card">
        <h2 id="content-heading">{proposal.submittedAt ? t('detail.content') : t('detail.draftContent')}</h2>
        {proposal.submittedAt ? <p>{t('detail.contentIntro', { city: data.cityName })}</p> : null}
        <AnswerList answers={[...choices, ...submission.answers]} className="answers" />
        {submission.answers.length === 0 ? <p>{t('detail.noAnswers')}</p> : null}
      </section>
      <FileList
        files={data.files}
        href={(id) => `/proposals/${data.slug}/${proposal.id}/attachments/${id}`}
        heading={proposal.submittedAt ? undefined : t('detail.draftFiles')}
      />
      <ProposerAfterDecisionNav slug={data.slug} proposalId={proposal.id} scope={data.scope} />
      <TransitionForms
        transitions={data.transitions}
        version={proposal.version}
        methods={[]}
        departments={[]}
        failure={failure}
        experimentHref={experimentHref}
      />
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('detail.history')}</h2>
        {data.history.length === 0 ? (
          <p>{t('detail.noHistory')}</p>
        ) : (
          <ol className="plain-list">
            {data.history.map((entry, index) => (
              <li key={index}>
                <time dateTime={entry.at}>{formatDateTime(new Date(entry.at), locale)}</time> —{' '}
                {eventLabel(entry)} → {entry.toLabel}
                <StepDetails entry={entry} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <Thread
        entries={data.thread}
        downloadHref={(id) => `/proposals/${data.slug}/${proposal.id}/attachments/${id}`}
        failure={failure}
        allowNotes={false}
      />
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = (args) => [pageTitle(args, (data) => data.proposal.title)]

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
