// The live chart of drops per window by prefix (uPlot). Reads a /api/v1/drops?group=prefix answer and
// draws one line per prefix on a gap-free time axis: windows the API leaves out had no drops, so they
// are drawn as zero. The largest prefixes get their own line; the rest are summed into one.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import * as fmt from './format.js';

const MAX_LINES = 8;
// Okabe–Ito colours, told apart with the common kinds of colour blindness; yellow left out (no contrast on white).
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C6D31', '#7F7F7F'];

function seconds(iso) {
  return Math.floor(Date.parse(iso) / 1000);
}

function columns(answer, stepSeconds) {
  const first = Math.floor(seconds(answer.from) / stepSeconds) * stepSeconds;
  const last = seconds(answer.to);
  const xs = [];
  for (let t = first; t <= last; t += stepSeconds) {
    xs.push(t);
  }
  const slot = (iso) => Math.floor((seconds(iso) - first) / stepSeconds);
  const lines = (answer.series ?? []).map((s) => {
    const ys = new Array(xs.length).fill(0);
    for (const p of s.points ?? []) {
      const i = slot(p.start);
      if (i >= 0 && i < ys.length) {
        ys[i] += p.packets;
      }
    }
    return { label: fmt.prefix(s.key?.prefix), ys, total: ys.reduce((a, b) => a + b, 0) };
  });
  lines.sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  if (lines.length > MAX_LINES) {
    const rest = lines.splice(MAX_LINES - 1);
    const ys = xs.map((_, i) => rest.reduce((sum, l) => sum + l.ys[i], 0));
    lines.push({ label: `${rest.length} other prefixes`, ys, total: ys.reduce((a, b) => a + b, 0) });
  }
  return { xs, lines };
}

export class DropsChart {
  constructor(container) {
    this.container = container;
    this.plot = null;
    this.labels = [];
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  size() {
    return { width: Math.max(320, this.container.clientWidth), height: 300 };
  }

  update(answer, stepSeconds) {
    const { xs, lines } = columns(answer, stepSeconds);
    const labels = lines.map((l) => l.label);
    const data = [xs, ...lines.map((l) => l.ys)];
    if (this.plot && labels.join('\n') === this.labels.join('\n')) {
      this.plot.setData(data);
    } else {
      this.plot?.destroy();
      this.labels = labels;
      this.plot = new uPlot(this.options(labels), data, this.container);
    }
    // What is drawn, in words, for people using a screen reader.
    this.container.setAttribute('aria-label', labels.length === 0
      ? 'No drops in this range.'
      : `Drops over time for ${labels.length} prefixes: ${lines.map((l) => `${l.label} ${fmt.count(l.total)}`).join(', ')}.`);
  }

  options(labels) {
    return {
      ...this.size(),
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      // Wider spacing than uPlot's default keeps time labels such as 12:45pm apart.
      axes: [{ space: 90 }, { label: 'packets', size: 70 }],
      series: [
        { label: 'Time' },
        ...labels.map((label, i) => ({
          label,
          stroke: COLOURS[i % COLOURS.length],
          width: 2,
          points: { show: false },
          value: (u, v) => (v === null ? '–' : fmt.count(v)),
        })),
      ],
    };
  }
}
