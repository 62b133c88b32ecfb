/**
 * Colour contrast per WCAG 2.1 (relative luminance, contrast ratio), used to
 * make a city's accent colour safe for text and for white text on it. Tenant
 * files validate colours as #RRGGBB; anything else is rejected here too.
 */

const HEX_COLOUR = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i

/** WCAG 2.1 AA for normal-size text. */
export const MINIMUM_TEXT_CONTRAST = 4.5

type Rgb = [number, number, number]

function parseHex(colour: string): Rgb {
  const match = HEX_COLOUR.exec(colour)
  if (!match) throw new TypeError(`not a #RRGGBB colour: ${colour}`)
  return [match[1], match[2], match[3]].map((channel) => parseInt(channel ?? '0', 16)) as Rgb
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`.toUpperCase()
}

export function isHexColour(colour: string): boolean {
  return HEX_COLOUR.test(colour)
}

export function relativeLuminance(colour: string): number {
  const linear = parseHex(colour).map((channel) => {
    const s = channel / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }) as Rgb
  return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
}

export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number]
  return (lighter + 0.05) / (darker + 0.05)
}

/**
 * The colour itself when it reaches `minimum` against white, else the same hue
 * darkened step by step until it does (black always does). A city whose brand
 * colour is too light keeps its hue rather than failing.
 */
export function darkenForContrast(colour: string, minimum = MINIMUM_TEXT_CONTRAST): string {
  const rgb = parseHex(colour)
  for (let factor = 1; factor >= 0; factor -= 0.02) {
    const candidate = toHex(rgb.map((channel) => channel * factor) as Rgb)
    if (contrastRatio(candidate, '#FFFFFF') >= minimum) return candidate
  }
  return '#000000'
}
