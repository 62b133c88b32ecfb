import type { HeadersFunction } from '@remix-run/node'
import { Outlet } from '@remix-run/react'

/**
 * The desk area's layout. Its pages show confidential proposals and internal
 * notes: none may be stored by any cache, and a desk page without `headers`
 * of its own would otherwise take the public portal's (`$city.tsx`), since
 * Remix uses the deepest route's headers function. Each desk page checks the
 * staff role itself (`requireCityRole`).
 */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export default function DeskArea() {
  return <Outlet />
}
