/** Distinct, colour-blind-friendly series colours (one per compared run). */
export const SERIES_COLORS = ['#2563eb', '#e07b00', '#0f9d74', '#d0368a', '#7c4dcc', '#0891b2', '#6b8e23', '#c0392b', '#475569', '#a16207'];

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length];
}
