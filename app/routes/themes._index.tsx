import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import portalStylesHref from '~/styles/portal.css'
import { Pager } from '~/components/pager'
import { parseThemeSearch, searchOpenThemes } from '~/operations/across-cities/across-cities.server'
import { portalHeaders } from '~/http/portal-page.server'
import { platformPageLoader } from '~/http/platform-page.server'
import {
  cityOptions,
  feedQueryOf,
  fieldOptions,
  platformThemeView,
  prefectureOptions,
} from '~/utils/portal/platform-views'

/** Every live city's open themes (issue 22): filters, search, sort, pages, feeds. */
export async function loader(args: LoaderFunctionArgs) {
  return platformPageLoader(args, 'platform-themes', async (page) => {
    const search = parseThemeSearch(new URL(args.request.url).searchParams, page)
    const found = await searchOpenThemes(args.context.db, search, page)
    return {
      title: page.t('common:platform.themes.title'),
      filters: {
        field: search.fields[0] ?? '',
        city: search.cities[0] ?? '',
        prefecture: search.prefecture ?? '',
        closing: search.closingWithinDays ? String(search.closingWithinDays) : '',
        q: search.q,
        sort: search.sort,
      },
      fields: fieldOptions(page),
      cities: cityOptions(page),
      prefectures: prefectureOptions(page),
      themes: found.themes.map((theme) => platformThemeView(page, theme)),
      total: found.total,
      page: found.page,
      pageCount: found.pageCount,
      feedQuery: feedQueryOf(args.request),
    }
  })
}

export const headers = portalHeaders

/** The city portals' styles: lists, cards, filters and facts look the same across cities. */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: portalStylesHref }]

export default function PlatformThemes() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{data.title}</h1>
      <p className="lead">{t('platform.themes.lead')}</p>
      <Form method="get" className="filters" aria-labelledby="themes-filter-heading">
        <h2 id="themes-filter-heading" className="filters__heading">
          {t('platform.filter')}
        </h2>
        <div className="filters__fields">
          <label>
            {t('platform.search')}
            <input type="search" name="q" defaultValue={data.filters.q} />
          </label>
          <label>
            {t('platform.field')}
            <select name="field" defaultValue={data.filters.field}>
              <option value="">{t('platform.any')}</option>
              {data.fields.map((field) => (
                <option key={field.id} value={field.id}>
                  {field.label}
                </option>
              ))}
            </select>
          </label>
          {data.prefectures.length > 1 ? (
            <label>
              {t('platform.prefecture')}
              <select name="prefecture" defaultValue={data.filters.prefecture}>
                <option value="">{t('platform.any')}</option>
                {data.prefectures.map((prefecture) => (
                  <option key={prefecture.id} value={prefecture.id}>
                    {prefecture.label}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            {t('platform.city')}
            <select name="city" defaultValue={data.filters.city}>
              <option value="">{t('platform.any')}</option>
              {data.cities.map((city) => (
                <option key={city.id} value={city.id}>
                  {city.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('platform.themes.closing')}
            <select name="closing" defaultValue={data.filters.closing}>
              <option value="">{t('platform.any')}</option>
              <option value="7">{t('platform.themes.closingWithin', { count: 7 })}</option>
              <option value="30">{t('platform.themes.closingWithin', { count: 30 })}</option>
            </select>
          </label>
          <label>
            {t('platform.sort')}
            <select name="sort" defaultValue={data.filters.sort}>
              <option value="closing">{t('platform.themes.sortClosing')}</option>
              <option value="newest">{t('platform.themes.sortNewest')}</option>
            </select>
          </label>
          <button type="submit" className="button">
            {t('platform.apply')}
          </button>
        </div>
      </Form>
      <p className="note">{t('platform.fieldsNote')}</p>
      <h2 aria-live="polite">{t('platform.themes.count', { count: data.total })}</h2>
      {data.themes.length === 0 ? (
        <p className="empty">{t('platform.themes.none')}</p>
      ) : (
        <ul className="card-list">
          {data.themes.map((theme) => (
            <li key={theme.id} className="card">
              <h3 className="card__title">
                <Link to={theme.url}>{theme.title}</Link>
              </h3>
              <p className="card__meta">{theme.city}</p>
              {theme.summary ? <p>{theme.summary}</p> : null}
              <dl className="facts">
                <div>
                  <dt>{t('platform.field')}</dt>
                  <dd>{theme.fields.join(t('platform.listSeparator')) || t('platform.noField')}</dd>
                </div>
                <div>
                  <dt>{t('platform.themes.deadline')}</dt>
                  <dd>{theme.deadline || t('platform.themes.noDeadline')}</dd>
                </div>
              </dl>
              <p>
                <Link to={theme.proposeUrl} className="button">
                  {t('platform.themes.propose')}
                  <span className="visually-hidden">{t('platform.themes.proposeFor', { title: theme.title })}</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pager page={data.page} pageCount={data.pageCount} />
      <section aria-labelledby="themes-feeds">
        <h2 id="themes-feeds">{t('platform.feeds')}</h2>
        <ul className="link-list">
          <li>
            <a href={`/themes.atom${data.feedQuery}`} type="application/atom+xml">
              {t('platform.atom')}
            </a>
          </li>
          <li>
            <a href={`/themes.json${data.feedQuery}`} type="application/feed+json">
              {t('platform.json')}
            </a>
          </li>
        </ul>
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
