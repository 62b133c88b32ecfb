import { afterDecisionLinks, afterDecisionMeta } from '~/components/after-decision/page'
import { ExperimentPage } from '~/components/after-decision/experiment'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { actOnExperimentPage, loadExperiment } from '~/http/after-decision-pages.server'

export const links = afterDecisionLinks

/**
 * 実証実験 on the city's side: the checklist from the tenant file with owners
 * and dates, permits, the offers that apply, the period and the city's
 * attendance, the proposer's cost-rule acknowledgement and report, and the
 * receipt. The desk and the routed departments keep it (the page layout sends no-store).
 */

export function loader(args: LoaderFunctionArgs) {
  return loadExperiment('city', args)
}

export function action(args: ActionFunctionArgs) {
  return actOnExperimentPage('city', args)
}

export default function DeskExperiment() {
  return <ExperimentPage side="city" />
}

export const meta: MetaFunction<typeof loader> = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
