/**
 * A short readable name for a browser's User-Agent string: the browser and the
 * operating system (`Chrome · Linux`), for the list of a user's sessions. The
 * names are product names, the same in every language; a part not recognised
 * is left out (null).
 */
export type DeviceDescription = { browser: string | null; os: string | null }

/** First match wins: Edge, Opera and Samsung Internet also say "Chrome", Chrome also says "Safari". */
const browsers: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|Chromium|CriOS|HeadlessChrome)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
]

/** iOS and Android before macOS and Linux: their strings also say "like Mac OS X" and "Linux". */
const systems: [RegExp, string][] = [
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

const firstMatch = (table: [RegExp, string][], text: string) =>
  table.find(([pattern]) => pattern.test(text))?.[1] ?? null

export function describeUserAgent(userAgent: string): DeviceDescription {
  return { browser: firstMatch(browsers, userAgent), os: firstMatch(systems, userAgent) }
}

/** `Chrome · Linux`, `Firefox`, or null when neither part is recognised. */
export function deviceLabel(userAgent: string): string | null {
  const { browser, os } = describeUserAgent(userAgent)
  const parts = [browser, os].filter((part): part is string => part !== null)
  return parts.length > 0 ? parts.join(' · ') : null
}
