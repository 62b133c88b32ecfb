import { afterDecisionLinks, afterDecisionMeta } from '~/components/after-decision/page'
import { DisclosurePage } from '~/components/after-decision/disclosure'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { actOnDisclosurePage, loadDisclosure } from '~/http/after-decision-pages.server'

export const links = afterDecisionLinks

/**
 * The proposer's side of 情報公開: the requests touching their proposal, the
 * documents concerned, their opinion on which parts would harm their
 * legitimate interests, and the city's decisions. Who asked is never read here.
 */

export function loader(args: LoaderFunctionArgs) {
  return loadDisclosure('proposer', args)
}

export function action(args: ActionFunctionArgs) {
  return actOnDisclosurePage('proposer', args)
}

export default function ProposerDisclosure() {
  return <DisclosurePage side="proposer" />
}

export const meta: MetaFunction<typeof loader> = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
