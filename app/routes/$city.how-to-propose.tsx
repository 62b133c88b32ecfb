import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formFieldPath, isPlatformDefault, type FormField } from '@desk/tenant-config'
import { GuidelineFlowChart } from '~/components/portal/guideline-flow'
import { ProposeAction } from '~/components/portal/propose-action'
import { PageIntro } from '~/components/portal/page-intro'
import { ProposalTypeList } from '~/components/portal/proposal-type-list'
import { cityPageLoader, portalHeaders, type CityPage } from '~/http/portal-page.server'
import { guidelineFlowViews, isExperimentFlow } from '~/utils/portal/guideline-flows'
import { cityPageMeta } from '~/utils/page-meta'
import { cityNavigation, type NavigationKey } from '~/utils/portal/navigation'
import {
  documentTypeList,
  megabytes,
  proposalTypeViews,
  referenceCodeExample,
  type FormFieldView,
  type Localize,
} from '~/utils/portal/views'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-how-to-propose', (page) => {
    const { config, text, t } = page
    const formsInUse = [...new Set(config.proposalTypes.map((type) => type.form))]
    return {
      slug: page.tenant.slug,
      proposable: page.tenant.status === 'live',
      cityName: text(config.identity.name),
      title: t('portal:howTo.title'),
      intakeNote: text(config.intakeNote),
      portalNote: text(config.portal?.note),
      proposalTypes: proposalTypeViews(config, text),
      flows: guidelineFlowViews(
        page,
        config.guidelineFlows.filter((flow) => !isExperimentFlow(config, flow)),
      ),
      forms: config.forms
        .filter((form) => formsInUse.includes(form.id))
        .map((form) => ({
          id: form.id,
          usedBy: config.proposalTypes
            .filter((type) => type.form === form.id)
            .map((type) => text(type.label))
            .join(t('portal:flow.separator')),
          fields: form.fields.map((field) => ({
            ...formFieldView(field, text, t),
            platformDefault: isPlatformDefault(config, formFieldPath(form.id, field.id)),
          })),
        })),
      attachments: {
        types: documentTypeList(config.attachments.allowedMimeTypes).join(t('portal:flow.separator')),
        megabytes: megabytes(config.attachments.maxBytes),
      },
      // Values the guideline does not set are said to be the portal's, not the city's.
      platformNote: platformNote(config, formsInUse, t),
      referenceExample: referenceCodeExample(config.identity.referenceCodePrefix, new Date().getFullYear()),
      beforeProposing: cityNavigation(config).filter((item) => beforeProposingKeys.includes(item.key)),
    }
  })
}

/** The pages to read before proposing, named as the city's menu names them. */
const beforeProposingKeys: NavigationKey[] = [
  'eligibility',
  'notes',
  'publication',
  'methods',
  'methodsAndRoles',
]

/**
 * What of the form the guideline does not set, said to be the portal's: the
 * whole form, some fields (each marked), and the conditions for attachments.
 */
function platformNote(config: CityPage['config'], formsInUse: string[], t: CityPage['t']): string {
  const attachments = isPlatformDefault(config, 'attachments')
  if (isPlatformDefault(config, 'forms')) return t('portal:howTo.platformForm')
  const someFields = config.forms.some(
    (form) =>
      formsInUse.includes(form.id) &&
      form.fields.some((field) => isPlatformDefault(config, formFieldPath(form.id, field.id))),
  )
  if (someFields)
    return t(attachments ? 'portal:howTo.platformFieldsAndAttachments' : 'portal:howTo.platformFields')
  return attachments ? t('portal:howTo.platformAttachments') : ''
}

/** A form field as a proposer needs to know it before starting: what is asked and within what limits. */
function formFieldView(field: FormField, text: Localize, t: CityPage['t']): FormFieldView {
  const constraints: string[] = []
  switch (field.type) {
    case 'text':
    case 'long_text':
      constraints.push(t('portal:howTo.constraint.maxLength', { count: field.maxLength }))
      break
    case 'number':
      if (field.unit) constraints.push(t('portal:howTo.constraint.unit', { unit: text(field.unit) }))
      break
    case 'select':
    case 'multi_select':
      constraints.push(
        t('portal:howTo.constraint.options', {
          options: field.options.map((option) => text(option.label)).join(t('portal:flow.separator')),
        }),
      )
      if (field.type === 'multi_select' && field.maxSelected) {
        constraints.push(t('portal:howTo.constraint.maxSelected', { count: field.maxSelected }))
      }
      break
    case 'file':
      constraints.push(
        t('portal:howTo.constraint.files', {
          types: documentTypeList(field.accept).join(t('portal:flow.separator')),
          megabytes: megabytes(field.maxBytes),
          count: field.maxFiles,
        }),
      )
      break
    case 'date':
      break
  }
  return {
    id: field.id,
    label: text(field.label),
    help: text(field.help),
    required: field.required,
    type: field.type,
    constraints,
  }
}

export const headers = portalHeaders

export default function HowToPropose() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} lead={data.intakeNote} />
      {data.portalNote ? (
        <p className="note">
          <TenantText>{data.portalNote}</TenantText>
        </p>
      ) : null}
      <p>
        <ProposeAction slug={data.slug} cityName={data.cityName} proposable={data.proposable} />
      </p>

      <section aria-labelledby="how-types">
        <h2 id="how-types">{t('howTo.types')}</h2>
        <ProposalTypeList proposalTypes={data.proposalTypes} headingLevel={3} />
      </section>

      {data.flows.length > 0 ? (
        <section aria-labelledby="how-flows">
          <h2 id="how-flows">{t('howTo.flows')}</h2>
          {data.flows.map((flow) => (
            <GuidelineFlowChart key={flow.id} flow={flow} headingLevel={3} />
          ))}
        </section>
      ) : null}

      <section aria-labelledby="how-form">
        <h2 id="how-form">{t('howTo.form')}</h2>
        {data.platformNote ? (
          <p className="note">
            <TenantText>{data.platformNote}</TenantText>
          </p>
        ) : null}
        {data.forms.map((form) => (
          <div key={form.id}>
            {data.forms.length > 1 ? <h3>{t('howTo.formFor', { types: form.usedBy })}</h3> : null}
            <dl className="field-list">
              {form.fields.map((field) => (
                <div key={field.id}>
                  <dt>
                    <TenantText>{field.label}</TenantText>
                    <span className={field.required ? 'badge badge--required' : 'badge'}>
                      {t(field.required ? 'howTo.required' : 'howTo.optional')}
                    </span>
                    {field.platformDefault ? (
                      <span className="badge badge--platform">{t('howTo.platformField')}</span>
                    ) : null}
                  </dt>
                  <dd>
                    {field.help ? (
                      <p>
                        <TenantText>{field.help}</TenantText>
                      </p>
                    ) : null}
                    {field.constraints.map((constraint) => (
                      <p key={constraint} className="field-list__constraint">
                        {constraint}
                      </p>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </div>
        ))}
        <p>
          {t('howTo.attachments', { types: data.attachments.types, megabytes: data.attachments.megabytes })}
        </p>
        <p>{t('howTo.reference', { example: data.referenceExample })}</p>
      </section>

      <section aria-labelledby="how-before">
        <h2 id="how-before">{t('howTo.before')}</h2>
        <ul className="link-list">
          {data.beforeProposing.map((item) => (
            <li key={item.key}>
              <Link to={`/${data.slug}${item.path}`}>{t(`nav.${item.key}`)}</Link>
            </li>
          ))}
        </ul>
      </section>

      {data.proposable ? (
        <section aria-labelledby="how-start">
          <h2 id="how-start">{t('propose.heading')}</h2>
          <p>{t('propose.intro')}</p>
          <p>
            <ProposeAction slug={data.slug} cityName={data.cityName} proposable />
          </p>
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
