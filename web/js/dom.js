// dom.js - small helpers for building DOM nodes safely.
//
// Design: answer text and workshop titles are untrusted, so every page builds
// elements with createElement and sets text with textContent; el() is the one
// place that does it.  There is deliberately no way to pass HTML.

// el('li', {class: 'x', 'aria-label': '...', dataset: {id: 1}}, child, 'text', ...)
// Children may be nodes, strings (become text nodes), or null/false (skipped).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

// A horizontal bar filled to `share` (0..1): .bar/.bar-fill in app.css read
// the --bar custom property, set through the CSSOM (the CSP forbids style
// attributes).
export function bar(share) {
  const node = el('span', { class: 'bar' }, el('span', { class: 'bar-fill' }));
  node.style.setProperty('--bar', share.toFixed(3));
  return node;
}

export function $(selector, root = document) {
  const node = root.querySelector(selector);
  if (!node) throw new Error(`missing element ${selector}`);
  return node;
}

// Writes a message into an aria-live region.  Clearing first makes screen
// readers announce a repeated identical message again.
export function announce(region, message) {
  region.textContent = '';
  if (message) {
    requestAnimationFrame(() => {
      region.textContent = message;
    });
  }
}
