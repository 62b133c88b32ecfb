import type { LinksFunction, MetaDescriptor } from '@remix-run/node'
import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { ZodTypeAny } from 'zod'
import afterStylesHref from '~/styles/after.css'
import deskStylesHref from '~/styles/desk.css'
import { FormAlert, type ActionFailure } from '~/components/forms'
import { pageTitle, type PageMetaArgs } from '~/utils/page-meta'
import { AfterDecisionForms } from './parts'

/** The stylesheets of every page after the decision (both sides). */
export const afterDecisionLinks: LinksFunction = () => [
  { rel: 'stylesheet', href: deskStylesHref },
  { rel: 'stylesheet', href: afterStylesHref },
]

/** The browser title of a page after the decision: its loader's `documentTitle` ("<page>: <proposal> | <city>"). */
export function afterDecisionMeta(args: PageMetaArgs<{ documentTitle: string }>): MetaDescriptor[] {
  return [pageTitle(args, (data) => data.documentTitle)]
}

/**
 * The frame of a page after the decision, for both sides: the way back to the
 * proposal, "<page>: <proposal>" as its heading, an introduction, and the
 * refusal of the last post.
 */
export function AfterDecisionPage({
  backHref,
  backLabel,
  heading,
  intro,
  failure,
  schema,
  children,
}: {
  backHref: string
  backLabel: string
  heading: string
  intro?: string
  failure: ActionFailure | undefined
  /** The schema of the page's forms (its action's), checked in the browser too. */
  schema: ZodTypeAny
  children: ReactNode
}) {
  return (
    <section className="desk-page">
      <p>
        <Link to={backHref}>{backLabel}</Link>
      </p>
      <h1>{heading}</h1>
      {intro ? <p>{intro}</p> : null}
      {/* Each refused field says why beside it, in its form (useAfterDecisionForm). */}
      <FormAlert failure={failure} errors={{}} />
      <AfterDecisionForms.Provider value={{ failure, schema }}>{children}</AfterDecisionForms.Provider>
    </section>
  )
}
