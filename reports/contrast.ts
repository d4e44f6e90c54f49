/**
 * Text that stays readable on a coloured cell: WCAG 2 relative luminance and contrast ratio, and the
 * text colour (black or white) with the higher contrast on a given fill. WCAG AA asks 4.5:1 for
 * normal text; black on a fill of luminance L gives (L + 0.05) / 0.05 and white 1.05 / (L + 0.05),
 * so the better of the two is at least 4.58:1 on any fill (at L = 0.179). The page's near-black
 * #1d1d1f would not do: on a fill of L = 0.21 neither it nor white reaches 4.5 (4.10).
 */
import { rgb } from 'd3';

/** Black text. */
export const INK = '#000000';
/** White text. */
export const PAPER = '#ffffff';

/** WCAG 2 relative luminance (0 black … 1 white) of any CSS colour d3 can parse. */
export function luminance(colour: string): number {
  const c = rgb(colour);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG 2 contrast ratio of two colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The text colour readable on `fill`: {@link INK} or {@link PAPER}, whichever contrasts more. */
export function textOn(fill: string): string {
  return contrastRatio(INK, fill) >= contrastRatio(PAPER, fill) ? INK : PAPER;
}
