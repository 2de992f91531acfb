// A menu button (the WAI-ARIA menu button pattern): a real <button> with aria-expanded
// that opens a role="menu" list. Enter, Space or ↓ open it on the first item (↑ on the
// last); ↑/↓/Home/End move between items; Escape closes it and gives the focus back to
// the button; Tab or a click elsewhere closes it. Items are built each time it opens, so
// they show the current state (shared or not). A menu can carry a heading naming what it acts
// on (`heading`, e.g. the snip's title): on a phone, where the menu is a sheet detached from
// its card, it is shown above the items, and it is the menu's accessible name everywhere.
import { h, clear } from './util.js';

let counter = 0;
let current = null; // the open menu's close function: one menu open at a time

/**
 * menuButton({label, content, items, className, heading}) → element. `items()` returns
 * entries (null ones skipped) of {label, onSelect} for actions, {label, href, download,
 * newTab} for links or {separator: true}; `danger: true` colours an item. `heading()`, when
 * given, returns {kicker, title}: the menu is then headed "kicker / title" (read each time
 * it opens) and named by it.
 */
export function menuButton({ label, content, items, className = '', heading = null }) {
  const id = `menu-${++counter}`;
  const button = h('button', { type: 'button', class: 'menu-btn', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': label }, content);
  // The heading sits inside the menu (it scrolls with the sheet) but out of the
  // accessibility tree: only menu items belong in a menu; aria-labelledby still reads it.
  const kickerId = `${id}-kicker`, titleId = `${id}-title`;
  const head = heading ? h('div', { class: 'menu-heading', 'aria-hidden': 'true' },
    h('span', { class: 'menu-heading-kicker', id: kickerId }), h('span', { class: 'menu-heading-title', id: titleId })) : null;
  const list = h('div', { class: 'menu-items', role: 'menu', id, hidden: true,
    'aria-label': heading ? null : label, 'aria-labelledby': heading ? `${kickerId} ${titleId}` : null });
  const wrap = h('div', { class: `menu ${className}` }, button, list);
  const entries = () => [...list.querySelectorAll('[role="menuitem"]')];

  const onOutside = (e) => { if (!wrap.contains(e.target)) close(false); };
  function close(returnFocus = true) {
    if (list.hidden) return;
    list.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', onOutside, true);
    if (current === close) current = null;
    if (returnFocus) button.focus();
  }
  function open(focus = 'first') {
    if (current && current !== close) current(false);
    if (head) {
      const { kicker = '', title = '' } = heading();
      head.firstChild.textContent = kicker;
      head.lastChild.textContent = title;
    }
    clear(list).append(...(head ? [head] : []), ...items().filter(Boolean).map(entry));
    list.hidden = false;
    placeAboveThePlayer();
    button.setAttribute('aria-expanded', 'true');
    current = close;
    document.addEventListener('pointerdown', onOutside, true);
    const all = entries();
    const target = focus === 'last' ? all[all.length - 1] : all[0];
    if (target) target.focus();
  }
  // Near the bottom of the window a menu that drops down reaches under the docked player
  // (fixed at the bottom; the page cannot scroll it clear when the card is the last one):
  // it opens upwards when there is room above the button; else the page scrolls until the
  // menu ends above the player (the menu itself lengthens the page), and a menu taller than
  // the room between the header and the player scrolls inside. Phones show the menu as a
  // sheet above the player (position: fixed), which needs none of this.
  function placeAboveThePlayer() {
    list.classList.remove('up');
    list.style.maxHeight = '';
    list.style.overflowY = '';
    if (getComputedStyle(list).position !== 'absolute') return;
    const player = document.getElementById('player');
    const pr = player ? player.getBoundingClientRect() : null;
    const floor = (pr && pr.height > 0 ? pr.top : window.innerHeight) - 8;
    const r = list.getBoundingClientRect();
    if (r.bottom <= floor) return;
    const header = document.querySelector('header');
    const ceiling = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    if (button.getBoundingClientRect().top - r.height - 8 >= ceiling) {
      list.classList.add('up');
      return;
    }
    const fit = (height) => {
      list.style.maxHeight = `${Math.max(height, 120)}px`;
      list.style.overflowY = 'auto';
    };
    if (r.height > floor - ceiling - 8) fit(floor - ceiling - 8);
    window.scrollBy({ top: list.getBoundingClientRect().bottom - floor, behavior: 'instant' });
    // A page too short to scroll that far: the menu ends above the player and scrolls inside.
    const placed = list.getBoundingClientRect();
    if (placed.bottom > floor) fit(floor - placed.top);
  }
  function entry(it) {
    if (it.separator) return h('div', { role: 'separator', class: 'menu-sep' });
    const cls = it.danger ? 'danger' : null;
    if (it.href) {
      const a = h('a', { role: 'menuitem', tabindex: '-1', class: cls, href: it.href, download: it.download === undefined ? null : it.download,
        target: it.newTab ? '_blank' : null, rel: it.newTab ? 'noopener' : null }, it.label);
      // Let the browser follow or download the link first, then fold the menu away.
      a.addEventListener('click', () => setTimeout(() => close(false), 0));
      return a;
    }
    return h('button', { type: 'button', role: 'menuitem', tabindex: '-1', class: cls, onclick: () => { close(true); it.onSelect(); } }, it.label);
  }

  button.addEventListener('click', () => { if (list.hidden) open(); else close(true); });
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); open('first'); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); open('last'); }
  });
  list.addEventListener('keydown', (e) => {
    const all = entries();
    const i = all.indexOf(document.activeElement);
    let next = null;
    if (e.key === 'ArrowDown') next = all[(i + 1) % all.length];
    else if (e.key === 'ArrowUp') next = all[(i - 1 + all.length) % all.length];
    else if (e.key === 'Home') next = all[0];
    else if (e.key === 'End') next = all[all.length - 1];
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(true); return; }
    else if (e.key === 'Tab') { close(false); return; }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') { e.preventDefault(); return; } // not a seek
    if (next) { e.preventDefault(); next.focus(); }
  });
  return wrap;
}
