import { redirect, type LoaderFunctionArgs } from '@remix-run/node'

/** "Propose for this theme" and "propose to this city": the one proposal form, with this city (and theme) chosen. */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  if (!params.city || !context.tenants.has(params.city)) throw new Response('Not Found', { status: 404 })
  const theme = new URL(request.url).searchParams.get('theme')
  return redirect(
    `/proposals/new?${new URLSearchParams([['city', params.city], ...(theme ? [['theme', theme]] : [])])}`,
  )
}
