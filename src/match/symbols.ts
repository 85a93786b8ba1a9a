// Event symbolic names from Microsoft's event pages (SmtpReceiveAuthenticationFailed, STARTTLSCertificateExpired):
// each names one event, so it is looked up like an id rather than matched like words.
import type { Article } from "../knowledge/schema.js";
import type { Evidence, Mode } from "./types.js";

export type SymbolIndex = ReadonlyMap<string, { article: number; symbol: string; id: number }[]>;

export function symbolIndex(articles: readonly Article[]): SymbolIndex {
  const out = new Map<string, { article: number; symbol: string; id: number }[]>();
  articles.forEach((a, i) => {
    for (const e of a.events) {
      if (e.symbol === undefined) continue;
      const key = e.symbol.toLowerCase();
      const list = out.get(key) ?? [];
      if (!list.some((x) => x.article === i)) list.push({ article: i, symbol: e.symbol, id: e.id });
      out.set(key, list);
    }
  });
  return out;
}

/** The symbols in the (lower-case) text, as whole words: typed alone in a command they weigh like an id. */
export function symbolEvidence(index: SymbolIndex, lower: string, mode: Mode): Map<number, Evidence> {
  const out = new Map<number, Evidence>();
  if (index.size === 0) return out;
  const alone = mode === "command" && index.has(lower.trim());
  const words = alone ? [lower.trim()] : new Set(lower.match(/[a-z][a-z0-9_]{3,}/g) ?? []);
  for (const w of words) {
    for (const { article, symbol, id } of index.get(w) ?? []) {
      if (!out.has(article)) out.set(article, { kind: "event", detail: `Event ${id} (${symbol})`, weight: alone ? 0.97 : 0.9 });
    }
  }
  return out;
}
