/**
 * A CSV download of confidential desk data (the text itself: `csv` in
 * ./portal/feeds.ts — BOM for Excel in Japan, quoting, formula prefix). Never
 * cached; the name is ASCII, with the RFC 5987 form for any other characters.
 */
export function csvResponse(body: string, filename: string): Response {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
