import { useTranslation } from 'react-i18next'
import type { ContactView } from '~/utils/portal/views'
import { TenantText } from './text-language'

/** The desk's contact details as an address block; lines the city has not given are left out. */
export function ContactBlock({ contact }: { contact: ContactView }) {
  const { t } = useTranslation('portal')
  return (
    <div className="contact-block">
      <address>
        <p className="contact-block__name">
          <TenantText>{contact.deskName}</TenantText>
        </p>
        {contact.parentDepartment ? (
          <p>
            <TenantText>{contact.parentDepartment}</TenantText>
          </p>
        ) : null}
        <dl className="contact-block__details">
          {contact.address ? (
            <div>
              <dt>{t('contact.address')}</dt>
              <dd>
                {contact.postalCode ? (
                  <span>{t('contact.postalCode', { code: contact.postalCode })} </span>
                ) : null}
                <TenantText>{contact.address}</TenantText>
              </dd>
            </div>
          ) : null}
          {contact.phone ? (
            <div>
              <dt>{t('contact.phone')}</dt>
              <dd>
                <a href={`tel:${contact.phone}`}>{contact.phone}</a>
              </dd>
            </div>
          ) : null}
          {contact.email ? (
            <div>
              <dt>{t('contact.email')}</dt>
              <dd>
                <a href={`mailto:${contact.email}`}>{contact.email}</a>
              </dd>
            </div>
          ) : null}
          {contact.url ? (
            <div>
              <dt>{t('contact.url')}</dt>
              <dd>
                <a href={contact.url}>{contact.url}</a>
              </dd>
            </div>
          ) : null}
        </dl>
      </address>
      {contact.webFormNote ? (
        <p className="note">
          <TenantText>{contact.webFormNote}</TenantText>
        </p>
      ) : null}
    </div>
  )
}
