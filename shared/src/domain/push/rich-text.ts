/**
 * Tip bodies are rich text in a safe subset: paragraphs, bold, bulleted and numbered lists
 * (issue 7). Staff may paste HTML from anywhere; `sanitizeTipHtml` keeps only that subset —
 * every attribute, every other tag (their text stays) and the content of script/style-like
 * elements are dropped, text is re-escaped — and returns canonical HTML. Plain text (no tags)
 * becomes one paragraph per non-empty line. `tipBlocks` turns stored HTML into blocks the
 * mini-program renders with plain components (no HTML injection anywhere). Pure.
 */

export interface TextRun {
  text: string;
  bold?: true;
}

export type TipBlock = { type: 'p'; runs: TextRun[] } | { type: 'ul' | 'ol'; items: TextRun[][] };

const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'head', 'title', 'textarea', 'select']);
const BLOCK_BREAK = new Set(['div', 'section', 'article', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'tr', 'header', 'footer']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return safeCodePoint(Number.parseInt(lower.slice(2), 16)) ?? m;
    if (lower.startsWith('#')) return safeCodePoint(Number.parseInt(lower.slice(1), 10)) ?? m;
    return ENTITIES[lower] ?? m;
  });
}

function safeCodePoint(n: number): string | undefined {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
  return String.fromCodePoint(n);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Whitespace and control characters collapsed; zero-width and bidi-override characters removed. */
function cleanText(s: string): string {
  return s
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[\p{Cc}\s]+/gu, ' ');
}

type Token = { kind: 'text'; text: string } | { kind: 'open' | 'close'; name: string };

function tokenize(html: string): Token[] {
  const out: Token[] = [];
  const re = /<!--[\s\S]*?(?:-->|$)|<\/?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>|<![^>]*>|<\?[^>]*>/g;
  let last = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m.index > last) out.push({ kind: 'text', text: html.slice(last, m.index) });
    last = re.lastIndex;
    if (!m[1]) continue; // comment, doctype, processing instruction
    const name = m[1].toLowerCase();
    const selfClosing = /\/\s*>$/.test(m[0]);
    out.push({ kind: m[0].startsWith('</') ? 'close' : 'open', name });
    if (selfClosing && !m[0].startsWith('</')) out.push({ kind: 'close', name });
  }
  if (last < html.length) out.push({ kind: 'text', text: html.slice(last) });
  return out;
}

/** Blocks of the safe subset from any HTML (or plain text). */
export function parseTipHtml(input: string): TipBlock[] {
  if (!/<[a-zA-Z/!?]/.test(input)) {
    return input
      .split(/\r?\n/)
      .map((l) => cleanText(decodeEntities(l)).trim())
      .filter(Boolean)
      .map((text) => ({ type: 'p' as const, runs: [{ text }] }));
  }
  const blocks: TipBlock[] = [];
  let runs: TextRun[] = [];
  let list: { type: 'ul' | 'ol'; items: TextRun[][] } | null = null;
  let item: TextRun[] | null = null;
  let bold = 0;
  let dropDepth = 0;
  let dropName = '';

  const flushParagraph = () => {
    const trimmed = trimRuns(runs);
    if (trimmed.length) blocks.push({ type: 'p', runs: trimmed });
    runs = [];
  };
  const flushItem = () => {
    if (item && list) {
      const trimmed = trimRuns(item);
      if (trimmed.length) list.items.push(trimmed);
    }
    item = null;
  };
  const flushList = () => {
    flushItem();
    if (list && list.items.length) blocks.push(list);
    list = null;
  };
  const target = (): TextRun[] => {
    if (list) {
      item ??= [];
      return item;
    }
    return runs;
  };

  for (const t of tokenize(input)) {
    if (dropDepth > 0) {
      if (t.kind === 'open' && t.name === dropName) dropDepth += 1;
      if (t.kind === 'close' && t.name === dropName) dropDepth -= 1;
      continue;
    }
    if (t.kind === 'text') {
      const text = cleanText(decodeEntities(t.text));
      if (text) pushRun(target(), text, bold > 0);
      continue;
    }
    const { name } = t;
    if (t.kind === 'open' && DROP_WITH_CONTENT.has(name)) {
      dropDepth = 1;
      dropName = name;
      continue;
    }
    if (name === 'b' || name === 'strong') {
      bold = Math.max(0, bold + (t.kind === 'open' ? 1 : -1));
    } else if (name === 'ul' || name === 'ol') {
      if (t.kind === 'open') {
        flushParagraph();
        flushList();
        list = { type: name, items: [] };
      } else flushList();
    } else if (name === 'li') {
      if (t.kind === 'open') {
        if (!list) {
          flushParagraph();
          list = { type: 'ul', items: [] };
        }
        flushItem();
        item = [];
      } else flushItem();
    } else if (name === 'p' || name === 'br' || BLOCK_BREAK.has(name)) {
      if (list && item) {
        if (name === 'br') pushRun(item, ' ', false);
      } else if (!list) flushParagraph();
    }
  }
  flushList();
  flushParagraph();
  return blocks;
}

function pushRun(runs: TextRun[], text: string, bold: boolean): void {
  const prev = runs[runs.length - 1];
  if (prev && !!prev.bold === bold) prev.text += text;
  else runs.push(bold ? { text, bold: true } : { text });
}

function trimRuns(runs: TextRun[]): TextRun[] {
  const out = runs.map((r) => ({ ...r }));
  if (out[0]) out[0].text = out[0].text.replace(/^\s+/, '');
  const last = out[out.length - 1];
  if (last) last.text = last.text.replace(/\s+$/, '');
  return out.filter((r) => r.text.length > 0);
}

function runsHtml(runs: TextRun[]): string {
  return runs.map((r) => (r.bold ? `<strong>${escapeHtml(r.text)}</strong>` : escapeHtml(r.text))).join('');
}

export function blocksToHtml(blocks: TipBlock[]): string {
  return blocks
    .map((b) => (b.type === 'p' ? `<p>${runsHtml(b.runs)}</p>` : `<${b.type}>${b.items.map((i) => `<li>${runsHtml(i)}</li>`).join('')}</${b.type}>`))
    .join('');
}

/** Canonical, safe HTML of the subset. Idempotent: sanitising the output changes nothing. */
export function sanitizeTipHtml(input: string): string {
  return blocksToHtml(parseTipHtml(input));
}

/** The visible text (for length limits and previews). */
export function tipPlainText(blocks: TipBlock[]): string {
  return blocks
    .map((b) => (b.type === 'p' ? b.runs.map((r) => r.text).join('') : b.items.map((i) => i.map((r) => r.text).join('')).join(' ')))
    .join('\n');
}

/** Stored HTML back to blocks for rendering (the stored HTML is already canonical). */
export const tipBlocks = parseTipHtml;
