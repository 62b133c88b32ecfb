import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormNotice, TextField } from '~/components/forms'
import { OperatorAlert } from '~/components/operator/operator-alert'
import { PlanView } from '~/components/operator/plan-view'
import { applyCityFile, planCityFile } from '~/operations/operator/onboard-city.server'
import { requireOperator } from '~/http/require-operator.server'
import { siteOrigin } from '~/http/form-validation.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { AppError } from '../operations/app-error'
import { refusal } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

/** Tenant files are a few dozen kilobytes; anything near this is not one. */
const MAX_FILE_BYTES = 1_000_000

const upload = {
  mapping: z.string().max(10_000).default(''),
  adminEmail: z.union([z.literal(''), z.string().trim().email().max(254)]).default(''),
}
const PlanSchema = z.object({ intent: z.literal('plan'), tenantFile: z.instanceof(Blob), ...upload })
const ApplySchema = z.object({
  intent: z.literal('apply'),
  source: z.string().min(1).max(MAX_FILE_BYTES),
  file: z.string().min(1).max(200),
  ...upload,
})
const ApplyActionSchema = z.discriminatedUnion('intent', [PlanSchema, ApplySchema])

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOperator(request, context)
  const t = await getFixedT(await getLocale(request))
  return json({ title: t('operator:apply.title') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireOperator(request, context)
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_FILE_BYTES * 2)
    throw new Response('Payload Too Large', { status: 413 })
  const form = ApplyActionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!form.success) return refusal(new AppError('invalid_file'))
  const services = { db: context.db, tasks: context.operatorTasks, tenants: context.tenants }
  try {
    if (form.data.intent === 'plan') {
      const { tenantFile, mapping, adminEmail } = form.data
      const file = tenantFile instanceof File && tenantFile.name ? tenantFile.name : 'tenant.yaml'
      const source = await tenantFile.text()
      if (!source.trim() || tenantFile.size > MAX_FILE_BYTES) throw new AppError('invalid_file')
      const plan = await planCityFile(services, operator, { source, file, mapping, ip: context.clientIp })
      return json({ plan, source, file, mapping, adminEmail })
    }
    const applied = await applyCityFile(services, operator, {
      ...form.data,
      origin: siteOrigin(context),
      locale: await getLocale(request),
    })
    const done = new URLSearchParams({ applied: applied.slug, status: applied.status })
    if (form.data.adminEmail) done.set('invited', form.data.adminEmail)
    return redirect(`/operator/apply?${done}`)
  } catch (error) {
    return refusal(error)
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

function AppliedNotice({ slug, status, invited }: { slug: string; status: string; invited: string | null }) {
  const { t } = useTranslation('operator')
  return (
    <FormNotice>
      <p>{t('apply.applied', { city: slug, status: t(`cities.status.${status}`) })}</p>
      {invited ? <p>{t('apply.invited', { email: invited })}</p> : null}
      <p>
        <Link to={`/${slug}`}>{t('cities.preview', { city: slug })}</Link> ·{' '}
        <Link to="/operator">{t('preview.back')}</Link>
      </p>
    </FormNotice>
  )
}

export default function OperatorApply() {
  const result = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('operator')
  const planned = result && 'plan' in result ? result : undefined
  const applied = searchParams.get('applied')
  return (
    <section>
      <h1>{t('apply.title')}</h1>
      <p>{t('apply.intro')}</p>
      {applied ? (
        <AppliedNotice
          slug={applied}
          status={searchParams.get('status') ?? 'draft'}
          invited={searchParams.get('invited')}
        />
      ) : null}
      <OperatorAlert failure={result && 'formError' in result ? result : undefined} />
      <Form method="post" encType="multipart/form-data" className="stack">
        <TextField
          name="tenantFile"
          type="file"
          label={t('apply.file')}
          accept=".yaml,.yml,application/yaml,text/yaml"
          required
        />
        <TextField
          name="mapping"
          label={t('apply.mapping')}
          hint={t('apply.mappingHint')}
          rows={3}
          defaultValue={planned?.mapping ?? ''}
        />
        <TextField
          name="adminEmail"
          type="email"
          label={t('apply.adminEmail')}
          hint={t('apply.adminEmailHint')}
          autoComplete="off"
          defaultValue={planned?.adminEmail ?? ''}
        />
        <button type="submit" name="intent" value="plan" className="button">
          {t('apply.plan')}
        </button>
      </Form>
      {planned ? (
        <>
          <PlanView plan={planned.plan} />
          {planned.plan.applicable && planned.plan.kind !== 'unchanged' ? (
            <Form method="post">
              <input type="hidden" name="source" value={planned.source} />
              <input type="hidden" name="file" value={planned.file} />
              <input type="hidden" name="mapping" value={planned.mapping} />
              <input type="hidden" name="adminEmail" value={planned.adminEmail} />
              <button type="submit" name="intent" value="apply" className="button button--primary">
                {t('apply.apply')}
              </button>
            </Form>
          ) : null}
        </>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
