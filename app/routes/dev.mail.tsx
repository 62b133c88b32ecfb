import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { listOutbox, mailOutboxPageEnabled } from '~/utils/mail.server'
import { sessionHasSecondFactor } from '~/http/require-operator.server'
import { titleMeta } from '~/utils/page-meta'
import { dateFormat } from '@desk/tenant-config'

/** The machine's own loopback address (IPv4, IPv6, IPv4-mapped): a request from the server's host itself. */
const LOCAL_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/**
 * The mail outbox, for development and the demo: what the platform would
 * send (invitations, password resets). 404 unless `mailOutboxPageEnabled`
 * (on by default outside production, in production only with
 * MAIL_OUTBOX_PAGE=true), and then only to a request from the machine itself
 * or a signed-in operator past the second factor: it shows reset links.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!mailOutboxPageEnabled(context.env)) throw new Response('Not Found', { status: 404 })
  const local = context.clientIp !== null && LOCAL_ADDRESSES.has(context.clientIp)
  if (!local && !(await sessionHasSecondFactor(context))) throw new Response('Not Found', { status: 404 })
  const t = await getFixedT(await getLocale(request))
  const mails = await listOutbox(context.db)
  return json(
    {
      title: t('auth:devMail.title'),
      mails: mails.map((mail) => ({
        ...mail,
        createdAt: mail.createdAt.toISOString(),
        sentAt: mail.sentAt?.toISOString() ?? null,
      })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' })

export default function DevMail() {
  const { mails } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('auth')
  const format = (iso: string) =>
    dateFormat(i18n.language, {
      dateStyle: 'medium',
      timeStyle: 'medium',
      timeZone: 'Asia/Tokyo',
    }).format(new Date(iso))
  return (
    <section>
      <h1>{t('devMail.title')}</h1>
      <p>{t('devMail.intro')}</p>
      {mails.length === 0 ? <p>{t('devMail.empty')}</p> : null}
      {mails.map((mail) => (
        <article key={mail.id} className="mail" aria-labelledby={`mail-${mail.id}`}>
          <h2 id={`mail-${mail.id}`}>{mail.subject}</h2>
          <p className="card__meta">
            {t('devMail.to', { to: mail.to })} ·{' '}
            {mail.sentAt
              ? t('devMail.sent', { date: format(mail.sentAt) })
              : t('devMail.queued', { date: format(mail.createdAt) })}
          </p>
          <pre className="mail__body">{mail.text}</pre>
        </article>
      ))}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
