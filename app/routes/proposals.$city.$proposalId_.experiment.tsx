import { afterDecisionLinks, afterDecisionMeta } from '~/components/after-decision/page'
import { ExperimentPage } from '~/components/after-decision/experiment'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { actOnExperimentPage, loadExperiment } from '~/http/after-decision-pages.server'

export const links = afterDecisionLinks

/**
 * The proposer's side of a demonstration experiment: the same checklist as the
 * city's, with the proposer's own items to tick, permits to record, the cost
 * rule to acknowledge and the report to hand in (streamed, checked by content).
 */

export function loader(args: LoaderFunctionArgs) {
  return loadExperiment('proposer', args)
}

export function action(args: ActionFunctionArgs) {
  return actOnExperimentPage('proposer', args)
}

export default function ProposerExperiment() {
  return <ExperimentPage side="proposer" />
}

export const meta: MetaFunction<typeof loader> = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
