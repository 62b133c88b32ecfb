import { useTranslation } from 'react-i18next'
import { TenantText } from './text-language'
import type { CaseDetailView } from '~/http/portal/content-views'

export function CaseDetail({ data, headingLevel = 1 }: { data: CaseDetailView; headingLevel?: 1 | 2 }) {
  const { t } = useTranslation('portal')
  const Title = headingLevel === 1 ? 'h1' : 'h2'
  const Section = headingLevel === 1 ? 'h2' : 'h3'
  const facts: [string, string][] = [
    [t('cases.partner'), data.partner],
    [t('cases.method'), data.method],
    [t('cases.field'), data.fields.join(t('flow.separator'))],
    [
      t('cases.period'),
      data.startedOn ? t('cases.periodValue', { start: data.startedOn, end: data.endedOn }) : '',
    ],
    [t('cases.publishedAt'), data.publishedAt],
  ]
  return (
    <>
      <Title>
        <TenantText>{data.title}</TenantText>
      </Title>
      <dl className="facts facts--inline">
        {facts
          .filter(([, value]) => value)
          .map(([term, value]) => (
            <div key={term}>
              <dt>
                <TenantText>{term}</TenantText>
              </dt>
              <dd>
                <TenantText>{value}</TenantText>
              </dd>
            </div>
          ))}
      </dl>
      {data.summary ? (
        <section aria-label={t('cases.summary')}>
          <Section>{t('cases.summary')}</Section>
          <p className="prose">
            <TenantText>{data.summary}</TenantText>
          </p>
        </section>
      ) : null}
      {data.results ? (
        <section aria-label={t('cases.results')}>
          <Section>{t('cases.results')}</Section>
          <p className="prose">
            <TenantText>{data.results}</TenantText>
          </p>
        </section>
      ) : null}
      {data.images.length > 0 ? (
        <div className="case-images">
          {data.images.map((image) => (
            <figure key={image.src}>
              <img src={image.src} alt={image.alt} loading="lazy" />
              <figcaption>
                <TenantText>{image.alt}</TenantText>
              </figcaption>
            </figure>
          ))}
        </div>
      ) : null}
    </>
  )
}
