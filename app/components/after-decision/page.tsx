import type { LinksFunction, MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { AppFailure } from '~/http/errors.server'
import afterStylesHref from '~/styles/after.css'
import deskStylesHref from '~/styles/desk.css'
import { FormAlert } from '~/components/forms'

/** The stylesheets of every page after the decision (both sides). */
export const afterDecisionLinks: LinksFunction = () => [
  { rel: 'stylesheet', href: deskStylesHref },
  { rel: 'stylesheet', href: afterStylesHref },
]

/** The browser title of a page after the decision: its loader's `documentTitle` ("<page>: <proposal> | <city>"). */
export const afterDecisionMeta: MetaFunction = ({ data }) => [
  { title: (data as { documentTitle?: string } | undefined)?.documentTitle ?? '' },
]

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
  children,
}: {
  backHref: string
  backLabel: string
  heading: string
  intro?: string
  failure: AppFailure | undefined
  children: ReactNode
}) {
  return (
    <section className="desk-page">
      <p>
        <Link to={backHref}>{backLabel}</Link>
      </p>
      <h1>{heading}</h1>
      {intro ? <p>{intro}</p> : null}
      {/* Each refused field says why beside it (the operations' issues are mapped to after:errors.*). */}
      <FormAlert failure={failure} errors={{}} />
      {children}
    </section>
  )
}
