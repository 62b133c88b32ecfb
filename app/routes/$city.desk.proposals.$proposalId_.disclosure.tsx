import { afterDecisionLinks, afterDecisionMeta } from '~/components/after-decision/page'
import { DisclosurePage } from '~/components/after-decision/disclosure'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { actOnDisclosurePage, loadDisclosure } from '~/http/after-decision-pages.server'

export const links = afterDecisionLinks

/**
 * 情報公開 on the city's side: the requests touching a proposal with who asked
 * (never shown to the proposer), the proposer's opinion per document, and the
 * desk's decision per document. Recording a request asks the proposer in the
 * thread. Department staff read it (the page layout sends no-store).
 */

export function loader(args: LoaderFunctionArgs) {
  return loadDisclosure('city', args)
}

export function action(args: ActionFunctionArgs) {
  return actOnDisclosurePage('city', args)
}

export default function DeskDisclosure() {
  return <DisclosurePage side="city" />
}

export const meta: MetaFunction<typeof loader> = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
