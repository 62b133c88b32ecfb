import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import type { TenantDb } from '../../db/tenant-context'
import type { Locale } from '~/i18n'
import type { ProposalTenant } from '~/operations/proposals/context.server'
import { readDisclosureRequests } from '~/operations/disclosure/disclosure.server'
import { readExperiment, submitReport } from '~/operations/experiments/experiments.server'
import { getFixedT } from '~/utils/i18n.server'
import { afterDecisionIssues } from './after-decision-issues.server'
import { ReportFormSchema, DisclosureFormSchema } from './after-decision-forms'
import { afterDecisionNaming } from './after-decision-views.server'
import { deskStaffRequest, readForDeskStaff } from './desk-request.server'
import { actOnDisclosureForm } from './disclosure-form.server'
import { actThenShow } from './edge.server'
import { refusal } from './errors.server'
import { actOnExperimentForm, experimentFormSchemaFor, todayInJapan } from './experiment-form.server'
import { parseSubmission } from './form-validation.server'
import { proposerRequest } from './proposer-request.server'
import { actOnUploadForm } from './upload-form.server'

/**
 * The pages after the decision that both sides have (the experiment,
 * disclosure requests; the implementation's loader): where each side's
 * request starts, the page's data read in one operation, and the post.
 * The city's side is the desk and the routed departments; the proposer's is
 * the signed-in user whose proposal it is (the operation and the database say).
 */

export type AfterDecisionSide = 'city' | 'proposer'

type RouteArgs = Pick<LoaderFunctionArgs, 'request' | 'params' | 'context'>

/** Who asks, on which side, and the proposal's address on that side (`base`) and its files'. */
export async function afterDecisionRequest(side: AfterDecisionSide, args: RouteArgs) {
  const { request, params, context } = args
  const asked =
    side === 'city' ? await deskStaffRequest(request, context, params.city) : await proposerSide(args)
  return afterDecisionOf(side, asked, params)
}

/** The proposer's side: the proposer's request, who is never the desk. */
async function proposerSide({ request, params, context }: RouteArgs) {
  return { ...(await proposerRequest(request, context, params.city)), isDesk: false }
}

/**
 * afterDecisionRequest for a page's loader: `use` reads the page with `db`, which on the city's side is the
 * request's one tenant transaction, shared with the desk layout's (readForDeskStaff).
 */
export async function inAfterDecisionPage<T>(
  side: AfterDecisionSide,
  args: RouteArgs,
  use: (page: AfterDecisionPage & { db: TenantDb }) => Promise<T>,
): Promise<T> {
  const { request, params, context } = args
  if (side === 'city')
    return readForDeskStaff(request, context, params.city, async (desk) =>
      use({ ...(await afterDecisionOf(side, desk, params)), db: desk.db }),
    )
  return use({ ...(await afterDecisionOf(side, await proposerSide(args), params)), db: context.db })
}

type AfterDecisionPage = Awaited<ReturnType<typeof afterDecisionRequest>>

async function afterDecisionOf<A extends { tenant: ProposalTenant; locale: Locale }>(
  side: AfterDecisionSide,
  asked: A,
  params: RouteArgs['params'],
) {
  const proposalId = params.proposalId ?? ''
  const slug = asked.tenant.config.slug
  const base = side === 'city' ? `/${slug}/desk/proposals/${proposalId}` : `/proposals/${slug}/${proposalId}`
  const attachments = side === 'city' ? `/${slug}/desk/attachments` : `${base}/attachments`
  return {
    ...asked,
    proposalId,
    base,
    attachmentHref: (attachmentId: string) => `${attachments}/${attachmentId}`,
    /** Where a post to one of the pages leads: the page again (the desk's says it was saved). */
    afterPost: (page: string) => `${base}/${page}${side === 'city' ? '?done=saved' : ''}`,
    naming: afterDecisionNaming(asked.tenant, asked.locale, await getFixedT(asked.locale)),
  }
}

/** A page's data from its one read (never cached: the page layout's no-store); a refusal is the error page. */
export async function afterDecisionData<V, D>(read: () => Promise<V>, shape: (view: V) => D) {
  try {
    return json(shape(await read()), { headers: { 'Cache-Control': 'no-store' } })
  } catch (error) {
    throw refusal(error)
  }
}

/** A post to a page after the decision: read with the page's schema, refusals worded for the field kit. */
export async function afterDecisionPost<S extends Parameters<typeof actThenShow>[1]['schema'], R>(
  request: Request,
  options: { schema: S; pageHref: string },
  act: Parameters<typeof actThenShow<S, R>>[2],
) {
  return actThenShow(request, { ...options, wordIssue: await afterDecisionIssues() }, act)
}

/** The experiment page's loader for one side: the checklist, permits, offers, cost rule and report. */
export async function loadExperiment(side: AfterDecisionSide, args: LoaderFunctionArgs) {
  return inAfterDecisionPage(side, args, (page) => {
    const { tenant, actor, proposalId, naming } = page
    return afterDecisionData(
      () => readExperiment(page.db, { tenant, actor, proposalId }),
      (view) => ({
        base: page.base,
        isDesk: page.isDesk,
        ...naming.pageTitles('experiment.title', view.proposal.title),
        experiment: naming.experimentView(view, tenant.config.experimentSupport!.track, page.attachmentHref),
      }),
    )
  })
}

/**
 * The experiment page's action for one side; the proposer's report is a
 * multipart post, streamed to storage and checked by its content before it is linked.
 */
export async function actOnExperimentPage(side: AfterDecisionSide, args: ActionFunctionArgs) {
  const { request, context } = args
  const { tenant, actor, proposalId, locale, afterPost } = await afterDecisionRequest(side, args)
  if (side === 'proposer' && request.headers.get('Content-Type')?.startsWith('multipart/form-data')) {
    const t = await getFixedT(locale)
    const { maxBytes, allowedMimeTypes } = tenant.config.attachments
    const failure = await actOnUploadForm(
      request,
      context,
      {
        tenantId: tenant.id,
        limits: { report: { allowedMimeTypes, maxBytes, maxFiles: 1 } },
        locale,
        fileLabel: () => t('after:experiment.reportFile'),
        wordIssue: await afterDecisionIssues(),
      },
      (form, filesFor) => {
        parseSubmission(form, ReportFormSchema)
        return submitReport(context.db, { tenant, actor, proposalId, file: filesFor('report')[0] })
      },
    )
    return failure ?? redirect(afterPost('experiment'))
  }
  return afterDecisionPost(
    request,
    { schema: experimentFormSchemaFor(tenant.config), pageHref: afterPost('experiment') },
    (form) => actOnExperimentForm(context.db, { tenant, actor, proposalId, form }),
  )
}

/** The disclosure page's loader for one side (who asked is in the city's view only: the operation's to say). */
export async function loadDisclosure(side: AfterDecisionSide, args: LoaderFunctionArgs) {
  return inAfterDecisionPage(side, args, (page) => {
    const { tenant, actor, proposalId, naming } = page
    return afterDecisionData(
      () => readDisclosureRequests(page.db, { tenant, actor, proposalId }),
      (view) => ({
        base: page.base,
        isDesk: page.isDesk,
        today: todayInJapan(),
        ...naming.pageTitles('disclosure.title', view.proposal.title),
        requests: naming.disclosureViews(view.requests),
      }),
    )
  })
}

/** The disclosure page's action for one side: the operations decide who may record, answer or decide. */
export async function actOnDisclosurePage(side: AfterDecisionSide, args: ActionFunctionArgs) {
  const { tenant, actor, proposalId, afterPost } = await afterDecisionRequest(side, args)
  return afterDecisionPost(
    args.request,
    { schema: DisclosureFormSchema, pageHref: afterPost('disclosure') },
    (form) => actOnDisclosureForm(args.context.db, { tenant, actor, proposalId, form }),
  )
}
