// Browsing a knowledge base of dozens of articles: by product, then by family (`category`), in a stable order.
import type { Article } from "./schema.js";

export const PRODUCT_LABEL: Readonly<Record<string, string>> = {
  "exchange-server": "Exchange Server",
  "exchange-online": "Exchange Online",
  hybrid: "Hybrid",
};
const PRODUCT_ORDER = ["exchange-server", "hybrid", "exchange-online"];
/** Articles written before families existed (the seeds) go here. */
export const UNFILED = "general";

export interface Family {
  product: string;
  category: string;
  articles: Article[];
}

export function productOf(a: Pick<Article, "product">): string {
  return a.product ?? "exchange-server";
}

export function families(articles: readonly Article[]): Family[] {
  const byKey = new Map<string, Family>();
  for (const a of articles) {
    if (a.draft === true) continue;
    const product = productOf(a);
    const category = a.category ?? UNFILED;
    const key = `${product}\u0000${category}`;
    let f = byKey.get(key);
    if (!f) byKey.set(key, (f = { product, category, articles: [] }));
    f.articles.push(a);
  }
  // A product not in the order (none today) goes last.
  const rank = (p: string) => (PRODUCT_ORDER.includes(p) ? PRODUCT_ORDER.indexOf(p) : PRODUCT_ORDER.length);
  return [...byKey.values()].sort((x, y) => rank(x.product) - rank(y.product) || x.category.localeCompare(y.category));
}

/**
 * The families a `/exchange list WORD` asks for: a family slug or its start ("transport" finds transport-auth and
 * transport-tls), or a product ("online", "exchange-online", "hybrid", "server"). Empty when nothing fits.
 */
export function familiesFor(all: readonly Family[], word: string): Family[] {
  const w = word.trim().toLowerCase();
  if (!w) return [...all];
  const product = Object.keys(PRODUCT_LABEL).find((p) => p === w || p.endsWith(`-${w}`) || PRODUCT_LABEL[p]!.toLowerCase() === w);
  if (product) return all.filter((f) => f.product === product);
  return all.filter((f) => f.category.startsWith(w));
}
