// Builds DOM nodes from data. Never innerHTML: connector names, configs and traces are user data.

/** `h('td', {class: 'x', onclick: f}, 'text', node)`: an element with attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const el =
    tag === 'svg' || attrs.svg
      ? document.createElementNS('http://www.w3.org/2000/svg', tag)
      : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false || k === 'svg') continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces what `parent` holds. */
export function fill(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
}

/** 1234567 → "1.23M"; rates and lags fit a narrow column. */
export function compact(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return '–';
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return a >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
}

export function bytes(n) {
  if (n === undefined) return '–';
  return `${Math.round(n / 1048576)} MiB`;
}
