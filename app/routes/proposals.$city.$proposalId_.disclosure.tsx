import { afterDecisionLinks, afterDecisionMeta } from '~/components/after-decision/page'
import { DisclosurePage } from '~/components/after-decision/disclosure'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { disclosureAction, disclosureLoader } from '~/http/after-decision-pages.server'

export const links = afterDecisionLinks

/**
 * The proposer's side of 情報公開: the requests touching their proposal, the
 * documents concerned, their opinion on which parts would harm their
 * legitimate interests, and the city's decisions. Who asked is never read here.
 */

export const loader = disclosureLoader('proposer')

export const action = disclosureAction('proposer')

export default function ProposerDisclosure() {
  return <DisclosurePage side="proposer" />
}

export const meta = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
