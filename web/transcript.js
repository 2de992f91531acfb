// A windowed transcript: only the rows near the viewport exist in the DOM, so a 3-hour
// episode with thousands of sentences scrolls smoothly. Row heights start as estimates
// (from text length and width) and are corrected as rows are measured.
import { h, fmtClock } from './util.js';

const OVERSCAN_PX = 600;

export function createTranscript(container, transcript, { onSeek }) {
  const segs = transcript.segments || [];
  const names = new Map((transcript.speakers || []).map((s) => [s.id, s.name || s.id]));
  const speakerOf = (i) => segs[i].speaker || '';
  const turn = segs.map((s, i) => i === 0 ? !!speakerOf(0) : speakerOf(i) !== speakerOf(i - 1) && !!speakerOf(i));

  const scroller = h('div', { class: 'transcript', tabindex: '0', role: 'region', 'aria-label': 'Transcript' });
  const spacer = h('div', { class: 'transcript-spacer' });
  scroller.appendChild(spacer);
  const resume = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => { setFollow(true); scrollToCurrent(true); } }, 'Follow playback');
  const tools = h('div', { class: 'transcript-tools' },
    h('span', { class: 'muted' }, `${segs.length} sentences${transcript.source ? ` · ${transcript.source}` : ''}`), resume);
  container.append(tools, scroller);

  let heights = [], offsets = [], total = 0;
  const rows = new Map(); // index → element
  let current = -1, follow = true, programmatic = 0, raf = 0;

  function estimate() {
    const width = Math.max(200, scroller.clientWidth - 32);
    const charsPerLine = Math.max(20, Math.floor(width / 8.2));
    heights = segs.map((s, i) => Math.ceil(((s.text || '').length + 8) / charsPerLine) * 24 + 8 + (turn[i] ? 28 : 0));
    recompute();
  }
  function recompute() {
    offsets = new Array(segs.length + 1);
    offsets[0] = 0;
    for (let i = 0; i < segs.length; i++) offsets[i + 1] = offsets[i] + heights[i];
    total = offsets[segs.length];
    spacer.style.height = `${total}px`;
  }
  function indexAtOffset(y) { // first row whose bottom is below y
    let lo = 0, hi = segs.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (offsets[mid + 1] <= y) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function makeRow(i) {
    const s = segs[i];
    const row = h('div', { class: 'seg', dataset: { i: String(i) } },
      turn[i] ? h('span', { class: 'speaker' }, names.get(s.speaker) || s.speaker) : null,
      h('span', { class: 'ts' }, fmtClock(s.start_ms)),
      h('button', { type: 'button', class: 'seg-text', 'aria-label': null }, s.text || ''));
    if (i === current) row.classList.add('current');
    return row;
  }
  function render() {
    raf = 0;
    if (!segs.length) return;
    const top = scroller.scrollTop, view = scroller.clientHeight;
    const first = indexAtOffset(Math.max(0, top - OVERSCAN_PX));
    let last = first;
    while (last < segs.length - 1 && offsets[last + 1] < top + view + OVERSCAN_PX) last++;
    for (const [i, el] of rows) if (i < first || i > last) { el.remove(); rows.delete(i); }
    for (let i = first; i <= last; i++) {
      if (!rows.has(i)) { const el = makeRow(i); rows.set(i, el); spacer.appendChild(el); }
    }
    // Measure and correct; keep what the reader sees still when rows above change height.
    let changed = false, shiftAbove = 0;
    for (let i = first; i <= last; i++) {
      const hgt = rows.get(i).offsetHeight;
      if (hgt && Math.abs(hgt - heights[i]) > 1) {
        if (offsets[i + 1] <= top) shiftAbove += hgt - heights[i];
        heights[i] = hgt; changed = true;
      }
    }
    if (changed) recompute();
    for (let i = first; i <= last; i++) rows.get(i).style.top = `${offsets[i]}px`;
    if (shiftAbove) { programmatic++; scroller.scrollTop = top + shiftAbove; }
  }
  function schedule() { if (!raf) raf = requestAnimationFrame(render); }

  function setFollow(on) { follow = on; resume.hidden = on; }
  function scrollToCurrent(smooth) {
    if (current < 0) return;
    const target = Math.max(0, offsets[current] - scroller.clientHeight / 3);
    if (Math.abs(scroller.scrollTop - target) < 4) return;
    programmatic++;
    scroller.scrollTo({ top: target, behavior: smooth && !matchMedia('(prefers-reduced-motion: reduce)').matches ? 'smooth' : 'auto' });
  }

  scroller.addEventListener('scroll', () => { if (programmatic > 0) programmatic--; schedule(); }, { passive: true });
  // Only a person's own gestures pause following (not our programmatic scrolls).
  const userScroll = () => { if (follow) setFollow(false); };
  scroller.addEventListener('wheel', userScroll, { passive: true });
  scroller.addEventListener('touchmove', userScroll, { passive: true });
  scroller.addEventListener('keydown', (e) => { if (['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'].includes(e.key) && e.target === scroller) userScroll(); });
  scroller.addEventListener('click', (e) => {
    const row = e.target.closest('.seg');
    if (!row) return;
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return; // the reader is selecting words to snip, not seeking
    const i = Number(row.dataset.i);
    setFollow(true);
    onSeek(segs[i].start_ms);
  });
  const ro = new ResizeObserver(() => { estimate(); for (const el of rows.values()) el.remove(); rows.clear(); schedule(); });
  ro.observe(scroller);

  estimate();
  schedule();

  return {
    /** Called with the playback position; highlights the sentence and follows it. */
    update(ms) {
      let lo = 0, hi = segs.length - 1, idx = -1;
      while (lo <= hi) { const mid = (lo + hi) >> 1; if (segs[mid].start_ms <= ms) { idx = mid; lo = mid + 1; } else hi = mid - 1; }
      if (idx === current) return;
      if (rows.has(current)) rows.get(current).classList.remove('current');
      current = idx;
      if (rows.has(current)) rows.get(current).classList.add('current');
      if (follow) scrollToCurrent(true);
    },
    /** The time span of the sentences the reader selected in the transcript, or null. */
    selectionRange() {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
      const rowOf = (node) => { const el = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement); const row = el && el.closest('.seg'); return row && scroller.contains(row) ? Number(row.dataset.i) : null; };
      const a = rowOf(sel.anchorNode), b = rowOf(sel.focusNode);
      if (a === null || b === null) return null;
      const first = Math.min(a, b), last = Math.max(a, b);
      return { start_ms: segs[first].start_ms, end_ms: Math.max(segs[last].end_ms || 0, segs[first].start_ms + 1000) };
    },
    element: scroller,
    destroy() { ro.disconnect(); if (raf) cancelAnimationFrame(raf); },
  };
}
