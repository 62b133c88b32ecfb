import { describe, expect, it } from 'vitest'
import { contrastRatio, darkenForContrast, isHexColour, MINIMUM_TEXT_CONTRAST, relativeLuminance } from './contrast'

describe('contrast', () => {
  it('computes WCAG luminance and contrast', () => {
    expect(relativeLuminance('#FFFFFF')).toBeCloseTo(1)
    expect(relativeLuminance('#000000')).toBe(0)
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21)
    expect(contrastRatio('#777777', '#FFFFFF')).toBeCloseTo(4.48, 2)
  })

  it('keeps a colour that already has enough contrast', () => {
    expect(darkenForContrast('#1F5FA8')).toBe('#1F5FA8')
  })

  it('darkens a light colour, keeping its hue, until text on white passes AA', () => {
    const darkened = darkenForContrast('#FFD43D')
    expect(darkened).not.toBe('#FFD43D')
    expect(contrastRatio(darkened, '#FFFFFF')).toBeGreaterThanOrEqual(MINIMUM_TEXT_CONTRAST)
    // Same hue: red stays above green stays above blue.
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(darkened.slice(i, i + 2), 16)) as [number, number, number]
    expect(r).toBeGreaterThan(g)
    expect(g).toBeGreaterThan(b)
  })

  it('darkens white all the way when it must', () => {
    expect(contrastRatio(darkenForContrast('#FFFFFF'), '#FFFFFF')).toBeGreaterThanOrEqual(MINIMUM_TEXT_CONTRAST)
  })

  it('rejects anything but #RRGGBB', () => {
    expect(isHexColour('#abc')).toBe(false)
    expect(isHexColour('red;}</style>')).toBe(false)
    expect(() => darkenForContrast('red')).toThrow(TypeError)
  })
})
