/** Our own small SVG charts: stacked bars over time. */
import { h, s } from './dom.js';

/** One stacked series. */
export interface BarSeries {
  name: string;
  /** One value per label; `null` = unknown (a gap, not zero). */
  values: ReadonlyArray<number | null>;
  /** The CSS class that colours it (`series-1`, `series-2`). */
  className: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title: string;
  labels: readonly string[];
  series: readonly BarSeries[];
  format: (value: number) => string;
  /** A sentence under the chart (what gaps mean). */
  note?: string;
}

const WIDTH = 640;
const HEIGHT = 170;
const TOP = 10;
const BOTTOM = 22;
const LEFT = 44;

/** A stacked bar chart as a `<figure>`, with a text summary for screen readers. */
export function barChart(options: BarChartOptions): HTMLElement {
  const { labels, series, format } = options;
  const count = labels.length;
  const totals = labels.map((_, index) =>
    series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0),
  );
  const known = labels.map((_, index) => series.some((entry) => entry.values[index] != null));
  const max = Math.max(1, ...totals);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = (WIDTH - LEFT) / Math.max(1, count);
  const barWidth = Math.max(1, step * (count > 60 ? 0.9 : 0.7));
  const y = (value: number): number => TOP + plotHeight - (value / max) * plotHeight;

  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'chart',
    role: 'img',
    preserveAspectRatio: 'none',
  });
  svg.append(
    s('line', { x1: LEFT, x2: WIDTH, y1: y(0), y2: y(0), class: 'axis' }),
    s('line', { x1: LEFT, x2: WIDTH, y1: y(max), y2: y(max), class: 'grid' }),
    s('text', { x: LEFT - 4, y: y(max) + 4, class: 'tick', 'text-anchor': 'end' }, format(max)),
    s('text', { x: LEFT - 4, y: y(0), class: 'tick', 'text-anchor': 'end' }, '0'),
  );
  labels.forEach((label, index) => {
    const x = LEFT + index * step + (step - barWidth) / 2;
    const tip = known[index]
      ? `${label}: ${series.map((entry) => `${format(entry.values[index] ?? 0)} ${entry.name}`).join(', ')}`
      : `${label}: unknown`;
    const group = s('g', {}, s('title', {}, tip));
    let base = 0;
    for (const entry of series) {
      const value = entry.values[index];
      if (value === null || value === undefined || value <= 0) continue;
      group.append(
        s('rect', {
          x: x.toFixed(1),
          y: y(base + value).toFixed(1),
          width: barWidth.toFixed(1),
          height: Math.max(0.5, y(base) - y(base + value)).toFixed(1),
          class: entry.className,
        }),
      );
      base += value;
    }
    if (!known[index]) {
      group.append(
        s('rect', {
          x: x.toFixed(1),
          y: (y(0) - 2).toFixed(1),
          width: barWidth.toFixed(1),
          height: 2,
          class: 'unknown',
        }),
      );
    }
    // An invisible full-height target so the tooltip is reachable on thin bars.
    group.append(
      s('rect', {
        x: x.toFixed(1),
        y: TOP,
        width: step.toFixed(1),
        height: plotHeight,
        class: 'hit',
      }),
    );
    svg.append(group);
  });
  for (const index of tickIndices(count)) {
    svg.append(
      s(
        'text',
        {
          x: (LEFT + index * step + step / 2).toFixed(1),
          y: HEIGHT - 6,
          class: 'tick',
          'text-anchor': index === 0 ? 'start' : index === count - 1 ? 'end' : 'middle',
        },
        labels[index] ?? '',
      ),
    );
  }
  const total = totals.reduce((sum, value) => sum + value, 0);
  let peak = -1;
  totals.forEach((value, index) => {
    if (known[index] && (peak < 0 || value > (totals[peak] ?? 0))) peak = index;
  });
  const summary =
    peak < 0
      ? `${options.title}: no known values.`
      : `${options.title}: ${format(total)} in total; highest ${labels[peak] ?? ''} (${format(totals[peak] ?? 0)}).`;
  svg.setAttribute('aria-label', summary);
  const legend =
    series.length > 1
      ? h(
          'ul',
          { class: 'legend' },
          ...series.map((entry) =>
            h('li', {}, h('span', { class: `swatch ${entry.className}` }), entry.name),
          ),
        )
      : null;
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, options.title),
    svg,
    legend,
    options.note === undefined ? null : h('p', { class: 'hint' }, options.note),
  );
}

function tickIndices(count: number): number[] {
  if (count <= 1) return count === 1 ? [0] : [];
  if (count <= 4) return Array.from({ length: count }, (_, index) => index);
  return [0, Math.round((count - 1) / 3), Math.round((2 * (count - 1)) / 3), count - 1];
}
