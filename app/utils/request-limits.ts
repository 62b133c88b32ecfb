/**
 * How much a request may carry, by route kind (issue 17, finding 9). The
 * server refuses a larger body before reading it (`app/server/request-guard.ts`);
 * the upload receiver holds the parts of a form with files to the same numbers.
 */
const KiB = 1024
const MiB = 1024 * KiB

export const REQUEST_LIMITS = {
  /** A form without files: read whole, then checked, before any route sees it. */
  form: { bodyBytes: 1 * MiB, fields: 300, fieldBytes: 256 * KiB },
  /**
   * A form with files (the routes below): files stream to storage under their
   * input's own size and count limits; the text beside them stays in memory, so
   * it is bounded in count, per field and in total.
   */
  upload: { bodyBytes: 64 * MiB, parts: 300, fieldBytes: 64 * KiB, textBytes: 1 * MiB },
} as const

/**
 * The addresses whose actions take files (they use the upload receiver). A
 * multipart body to any other address is a form without files and gets the
 * form limits; `request-limits.test.ts` checks this list against the routes.
 */
export const UPLOAD_ROUTES: readonly RegExp[] = [
  /^\/proposals\/new$/,
  /^\/proposals\/[^/]+\/[^/]+(\/experiment)?$/,
  /^\/[^/]+\/desk\/proposals\/[^/]+(\/agreement)?$/,
  /^\/[^/]+\/desk\/cases\/[^/]+$/,
]

export const takesFiles = (pathname: string) => UPLOAD_ROUTES.some((route) => route.test(pathname))
