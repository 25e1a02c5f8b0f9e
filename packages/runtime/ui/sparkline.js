import { h } from './dom.js';

const W = 96;
const H = 22;

/** A small SVG line of `points` (oldest first), scaled to its own maximum. */
export function sparkline(points, label) {
  const svg = h('svg', {
    class: 'spark',
    width: W,
    height: H,
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': label,
  });
  if (points.length < 2) return svg;
  const max = Math.max(...points, 1);
  const step = W / (points.length - 1);
  const xy = points.map((p, i) => `${(i * step).toFixed(1)},${(H - 1 - (p / max) * (H - 3)).toFixed(1)}`);
  svg.append(h('polyline', { svg: true, points: xy.join(' '), fill: 'none', 'stroke-width': 1.5 }));
  return svg;
}
