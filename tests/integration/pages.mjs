// Readers for the CRM's HTML pages as a user sees them (contract: table.list, id="total", rel="next", class="error").
import { findTags, findTag, elementInner, textOf, parseAttrs } from '../lib/harness.mjs';

/** Inner HTML of the first element (any tag) whose attribute `name` matches value (class: token match). */
export function elementBy(html, name, value) {
  const re = /<([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let m;
  while ((m = re.exec(html))) {
    const a = parseAttrs(m[2])[name];
    if (a === undefined) continue;
    const hit = name === 'class' ? a.split(/\s+/).includes(value) : a === value;
    if (!hit) continue;
    const rest = html.slice(m.index);
    return elementInner(rest, m[1], { [name]: value }) ?? '';
  }
  return null;
}

/** Visible text of the element with class="error" (null if there is none). */
export function errorText(html) {
  const inner = elementBy(html, 'class', 'error');
  return inner === null ? null : textOf(inner);
}

/** The number shown in id="total" ("1,234", "1.234", "10,000+" → 1234 / 10000); null if absent. */
export function totalOf(html) {
  const inner = elementBy(html, 'id', 'total');
  if (inner === null) return null;
  const t = textOf(inner);
  const m = t.match(/\d[\d.,\u00a0\u202f' ]*/);
  if (!m) return NaN;
  return Number(m[0].replace(/[^\d]/g, ''));
}

/** Contact rows of `<table class="list">`: the `<tr>`s of its `<tbody>`, without an "empty list" row
 *  (a single cell spanning columns). Each row: {html, text, key} — key is the row's first /contacts/ID link or its text. */
export function listRows(html) {
  const table = elementInner(html, 'table', { class: 'list' });
  if (table === null) return null;
  const tbody = elementInner(table, 'tbody');
  if (tbody === null) return null;
  const rows = [];
  const re = /<tr\b[^>]*>([\s\S]*?)(?=<tr\b|<\/tbody>|$)/gi;
  let m;
  while ((m = re.exec(tbody))) {
    const inner = m[1].replace(/<\/tr>\s*$/i, '');
    const cells = findTags(inner, 'td').concat(findTags(inner, 'th'));
    if (cells.length === 1 && cells[0].attrs.colspan) continue; // "no contacts" row
    const link = findTags(inner, 'a').map((t) => t.attrs.href || '').find((h) => /\/contacts\/\d+/.test(h));
    const text = textOf(inner);
    rows.push({ html: inner, text, key: link ? link.match(/\/contacts\/\d+/)[0] : text });
  }
  return rows;
}

/** href of the rel="next" link (an <a>, else a <link>), or null. */
export function nextHref(html) {
  const a = findTags(html, 'a').find((t) => (t.attrs.rel || '').split(/\s+/).includes('next'));
  if (a) return a.attrs.href || null;
  const l = findTags(html, 'link').find((t) => (t.attrs.rel || '').split(/\s+/).includes('next'));
  return l ? l.attrs.href || null : null;
}

/** The value of <html lang="...">. */
export function htmlLang(html) {
  const t = findTag(html, 'html');
  return t ? t.attrs.lang ?? null : null;
}

/** Visible text of the whole page body. */
export function pageText(html) {
  const body = elementInner(html, 'body');
  return textOf(body ?? html);
}
