import { json, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DeskNav } from '~/components/desk/desk-nav'
import { proposalTenant } from '~/http/edge.server'
import { readDeskWorkCounts } from '~/operations/inbox/desk-work-counts.server'
import { withCityRole } from '~/http/guards.server'
import { CITY_STAFF_ROLES } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'

/**
 * The desk area's layout: the staff's own workspace, not a portal page — the
 * city's name, the desk's menu for the member's role with the counts of what
 * waits for their side, and the confirmation of what they just did; no public
 * navigation or footer (`$city.tsx` leaves them out under /desk). Its pages
 * show confidential proposals and internal notes: none may be stored by any
 * cache, and a desk page without `headers` of its own would otherwise take the
 * public portal's, since Remix uses the deepest route's headers function.
 * Each desk page still checks the staff role itself.
 */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/** What a desk page's `?done=` says was just done (after its form's redirect). */
const doneKeys = ['note', 'route', 'screening', 'message', 'transition', 'saved'] as const

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const url = new URL(request.url)
  const done = doneKeys.find((key) => key === url.searchParams.get('done'))
  // The membership and the counts: one tenant transaction. After a desk form (`?done=`), the counts
  // include what was just done; otherwise they may be a few seconds old (readDeskWorkCounts).
  const { staff, tenant, counts } = await withCityRole(
    context,
    params.city,
    CITY_STAFF_ROLES,
    request,
    async (staff, tx) => {
      const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
      return {
        staff,
        tenant,
        counts: await readDeskWorkCounts(tx, { tenant, staff, fresh: done !== undefined }),
      }
    },
  )
  const { config } = tenant
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  const t = await getFixedT(locale)
  const transition = config.tracks
    .flatMap((track) => track.transitions)
    .find((candidate) => candidate.id === url.searchParams.get('transition'))
  return json(
    {
      slug: config.slug,
      cityName: text(config.identity.name),
      deskName: text(config.identity.logoText),
      role: staff.role,
      counts,
      done: done ? t(`desk:done.${done}`, { transition: transition ? text(transition.label) : '' }) : null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export default function DeskArea() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('desk')
  return (
    <div className="desk-workspace">
      <header className="desk-bar">
        <p className="desk-bar__title">
          <span className="desk-bar__city">{data.deskName}</span>{' '}
          <span className="desk-bar__area">{t('workspace.title')}</span>
        </p>
        <DeskNav slug={data.slug} role={data.role} counts={data.counts} />
        <p className="desk-bar__portal">
          <Link to={`/${data.slug}`}>{t('workspace.portal', { city: data.cityName })}</Link>
        </p>
      </header>
      {data.done ? (
        <p className="notice notice--done" role="status">
          {data.done}
        </p>
      ) : null}
      <div className="desk-workspace__body">
        <Outlet />
      </div>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
