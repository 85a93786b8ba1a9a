// KB numbers in every form people paste: Q171435, KB171435, "kb 171435", "Article ID: 171435", and links to
// Microsoft's support sites (support.microsoft.com/kb/N, /?kbid=N, /default.aspx?scid=kb;en-us;N,
// /en-us/help/N, learn.microsoft.com/.../N). A Slack link arrives as "label (URL)" after normalising.

const MAX = 200;

// "wd:Q171435" is a Wikidata item and "xyz:Q171435" some other prefixed name, not a KB article.
const WRITTEN = /(?<!\w:)\b(?:q|kb)\s?[-/]?(\d{6,7})\b|\b(?:kb|article(?: id)?|knowledge base(?: article)?)\s*(?:[:#]\s*)?q?(\d{6,7})\b/g;
// A Microsoft support URL; the number is looked for in its path and query only. The host's start is not
// matched: an optional run of "label." before it backtracks quadratically on "1.1.1.1...".
const MS_URL = /(?:microsoft|msdn|technet)\.com(\/[^\s()<>"']{0,400})/g;
const IN_URL = /(?:\/kb\/|[?&]kbid=|scid=kb;[a-z]{2}-[a-z]{2};|\/help\/|[/-]|\bq)(\d{6,7})(?![\d])/g;

// A Q number after these words numbers a quote, an order or a catalogue item, not a KB article; in a text
// about Wikidata every Q number is an item there.
const NOT_KB_BEFORE = /\b(?:quote|quotation|item|order|invoice|po|purchase order|sku|part|ticket|case|ref|reference)\s*(?:no\.?|number|#)?\s*[:#]?\s*$/;
const WIKIDATA = /\bwikidata\b/;

export function findKbs(lower: string): string[] {
  const kbs = new Set<string>();
  const wikidata = WIKIDATA.test(lower);
  for (const m of lower.matchAll(WRITTEN)) {
    const n = m[1] ?? m[2];
    if (m[1] && (wikidata || NOT_KB_BEFORE.test(lower.slice(Math.max(0, m.index - 30), m.index)))) continue;
    if (n && kbs.size < MAX) kbs.add(`Q${n}`);
  }
  for (const u of lower.matchAll(MS_URL)) {
    const path = u[1] ?? "";
    for (const m of path.matchAll(IN_URL)) if (kbs.size < MAX) kbs.add(`Q${m[1]}`);
    // The 1990s form: /support/kb/articles/Q171/4/35.asp is Q171435.
    for (const m of path.matchAll(/\/q(\d{3})\/(\d)\/(\d{2})\b/g)) if (kbs.size < MAX) kbs.add(`Q${m[1]}${m[2]}${m[3]}`);
  }
  return [...kbs];
}
