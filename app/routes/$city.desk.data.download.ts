import type { ActionFunctionArgs } from '@remix-run/node'
import { cityDataDownload } from '~/http/city-data-download.server'

/**
 * The city's data archive (the page is $city.desk.data.tsx): a POST, so a
 * download is a deliberate act that passes the origin check, and is audited.
 * A resource route, so the archive is the response itself.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  return cityDataDownload(context, { citySlug: params.city, request, ip: context.clientIp })
}
