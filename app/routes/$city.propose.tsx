import { redirect, type LoaderFunctionArgs } from '@remix-run/node'

/**
 * "Propose for this theme" and "propose to this city": the one proposal form,
 * with this city (and theme) chosen; the form's guard sends a visitor who is
 * not signed in through sign-in and back. Only a live city takes proposals.
 */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  if (!params.city || context.tenants.get(params.city)?.status !== 'live')
    throw new Response('Not Found', { status: 404 })
  const theme = new URL(request.url).searchParams.get('theme')
  return redirect(
    `/proposals/new?${new URLSearchParams([['city', params.city], ...(theme ? [['theme', theme]] : [])])}`,
  )
}
