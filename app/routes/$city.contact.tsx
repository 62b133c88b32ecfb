import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ContactBlock } from '~/components/portal/contact-block'
import { PageIntro } from '~/components/portal/page-intro'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { contactView } from '~/utils/portal/views'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-contact', ({ config, text, t }) => ({
    title: t('portal:contact.title'),
    contact: contactView(config.contact, text),
    intakeNote: text(config.intakeNote),
    portal: config.portal && { name: text(config.portal.name), description: text(config.portal.description) },
    // Placeholder departments (set by the platform until the city lists its own) are not shown to the public.
    departments: config.departments
      .filter((department) => !department.provisional)
      .map((department) => ({ id: department.id, name: text(department.name) })),
  }))
}

export const headers = portalHeaders

export default function Contact() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} lead={data.intakeNote} />
      <section aria-labelledby="contact-desk" className="panel">
        <h2 id="contact-desk">{t('contact.desk')}</h2>
        <ContactBlock contact={data.contact} />
      </section>
      {data.portal ? (
        <section aria-labelledby="contact-portal">
          <h2 id="contact-portal">
            <TenantText>{data.portal.name}</TenantText>
          </h2>
          <p>
            <TenantText>{data.portal.description}</TenantText>
          </p>
        </section>
      ) : null}
      {data.departments.length > 0 ? (
        <section aria-labelledby="contact-departments">
          <h2 id="contact-departments">{t('contact.departments')}</h2>
          <ul>
            {data.departments.map((department) => (
              <li key={department.id}>{department.name}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
