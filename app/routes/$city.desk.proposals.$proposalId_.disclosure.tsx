import { afterDecisionLinks, afterDecisionMeta } from '~/components/after-decision/page'
import { DisclosurePage } from '~/components/after-decision/disclosure'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { disclosureAction, disclosureLoader } from '~/http/after-decision-pages.server'

export const links = afterDecisionLinks

/**
 * 情報公開 on the city's side: the requests touching a proposal with who asked
 * (never shown to the proposer), the proposer's opinion per document, and the
 * desk's decision per document. Recording a request asks the proposer in the
 * thread. Department staff read it (the page layout sends no-store).
 */

export const loader = disclosureLoader('city')

export const action = disclosureAction('city')

export default function DeskDisclosure() {
  return <DisclosurePage side="city" />
}

export const meta = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
