import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { supportedLocales } from '~/i18n'
import { localeCookie } from '~/utils/locale.server'

const LocaleChoiceSchema = z.object({
  locale: z.enum(supportedLocales),
  // Only a path on this site: never an absolute or protocol-relative URL.
  redirectTo: z
    .string()
    .regex(/^\/(?!\/)[^\s\\]*$/)
    .catch('/'),
})

export async function action({ request }: ActionFunctionArgs) {
  const parsed = LocaleChoiceSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('Unsupported language', { status: 400 })
  return redirect(parsed.data.redirectTo, {
    headers: { 'Set-Cookie': await localeCookie.serialize(parsed.data.locale) },
  })
}

export async function loader() {
  return redirect('/')
}
