// Show notes and search snippets (matched words in <mark>): the server already sanitises
// or escapes them; we still never trust HTML from the server. First DOMPurify (npm
// `dompurify`, copied to /vendor/ by scripts/install-node-deps and served as a plain ES module) cleans the HTML with the same allow-list; then the result is
// parsed with DOMParser (inert: no scripts run, no images load) and rebuilt from the
// allow-list with fresh nodes; everything else becomes its text, or is dropped entirely.
// Without the vendored file (install-node-deps not run) the rebuild alone still applies.
const ALLOWED = new Set(['P', 'BR', 'A', 'UL', 'OL', 'LI', 'B', 'STRONG', 'I', 'EM', 'H3', 'H4', 'BLOCKQUOTE', 'CODE', 'PRE', 'MARK']);
const DROP = new Set(['SCRIPT', 'STYLE', 'IFRAME', 'OBJECT', 'EMBED', 'TEMPLATE', 'NOSCRIPT', 'SVG', 'MATH', 'FORM', 'INPUT', 'BUTTON', 'TEXTAREA', 'SELECT', 'HEAD', 'TITLE', 'META', 'LINK']);

function safeHref(href) {
  try {
    const u = new URL(href, 'https://invalid.example/');
    if (u.origin === 'https://invalid.example') return null; // relative links make no sense here
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.href : null;
  } catch { return null; }
}

function copy(src, dst, depth) {
  if (depth > 40) return;
  for (const node of src.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) { dst.appendChild(document.createTextNode(node.nodeValue)); continue; }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = node.tagName.toUpperCase();
    if (DROP.has(tag)) continue;
    if (!ALLOWED.has(tag)) { copy(node, dst, depth + 1); continue; }
    const el = document.createElement(tag.toLowerCase());
    if (tag === 'A') {
      const href = safeHref(node.getAttribute('href') || '');
      if (!href) { copy(node, dst, depth + 1); continue; }
      el.setAttribute('href', href);
      el.setAttribute('rel', 'noopener noreferrer nofollow ugc');
      el.setAttribute('target', '_blank');
    }
    copy(node, el, depth + 1);
    dst.appendChild(el);
  }
}

let purify = null;
try { purify = (await import('/vendor/purify.es.mjs')).default; } catch { purify = null; }
export const hasDomPurify = () => !!(purify && purify.isSupported);

/** A DocumentFragment holding only allow-listed elements built from `html`. */
export function sanitizeHtml(html) {
  const frag = document.createDocumentFragment();
  if (!html) return frag;
  let clean = String(html);
  if (hasDomPurify()) {
    clean = purify.sanitize(clean, {
      ALLOWED_TAGS: [...ALLOWED].map((t) => t.toLowerCase()),
      ALLOWED_ATTR: ['href'],
      ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    });
  }
  const doc = new DOMParser().parseFromString(clean, 'text/html');
  copy(doc.body, frag, 0);
  return frag;
}
