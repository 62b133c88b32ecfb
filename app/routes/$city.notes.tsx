import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageIntro } from '~/components/portal/page-intro'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-notes', ({ config, text, t }) => ({
    title: t(config.notes ? 'portal:notes.title' : 'portal:notes.titleWithoutNotes'),
    intro: text(config.notes?.intro),
    notes: (config.notes?.items ?? []).map((note) => ({ id: note.id, text: text(note.text) })),
    publication: text(config.publication.text),
  }))
}

export const headers = portalHeaders

export default function Notes() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} lead={data.intro} />
      {data.notes.length > 0 ? (
        <section aria-labelledby="notes-list">
          <h2 id="notes-list">{t('notes.heading')}</h2>
          <ol className="numbered-list">
            {data.notes.map((note) => (
              <li key={note.id}>
                <p>
                  <TenantText>{note.text}</TenantText>
                </p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="notes-publication">
        <h2 id="notes-publication">{t('notes.publication')}</h2>
        <p>
          <TenantText>{data.publication}</TenantText>
        </p>
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
