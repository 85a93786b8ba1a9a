// A generated knowledge base of N articles shaped like the real ones (events, sources, literal error
// phrases, keywords, symptoms), with a vocabulary that overlaps Exchange's own words, so the index sees
// realistic posting lists rather than all-unique tokens.
import type { Article } from "../src/knowledge/schema.js";

const COMMON = "logon failed error service account server mailbox transport connector permission user password access denied message queue store database replication certificate authentication submit delivery routing domain directory client request timeout".split(" ");

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), s / 2 ** 32);
}

export function syntheticArticles(n: number, base: readonly Article[], seed = 42): Article[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const syll = ["ka", "lo", "mer", "ti", "zan", "pro", "ex", "vor", "qu", "del", "sta", "rin", "bo", "gex", "ul"];
  const vocab = Array.from({ length: 4000 }, () => Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick(syll)).join(""));
  const word = () => (r() < 0.35 ? pick(COMMON) : pick(vocab));
  const sentence = (k: number) => Array.from({ length: k }, word).join(" ");
  const out: Article[] = [...base];
  for (let i = 0; out.length < n; i++) {
    const id = 20000 + i;
    out.push({
      id: `GEN-${String(i).padStart(5, "0")}`,
      title: `Generated: ${sentence(6)}`,
      products: [{ name: "Microsoft Exchange Server", versions: ["2010"] }],
      events: [{ id: id % 65535 || 1, source: `MSExchange${pick(vocab)}`, type: "Error" }],
      phrases: [sentence(8), sentence(6)],
      context: [],
      keywords: [sentence(2), sentence(3)],
      codes: [],
      symptoms: [sentence(12)],
      cause: sentence(20),
      resolution: [sentence(10), sentence(10)],
      references: [],
      related: [],
      probe: { kind: "none", signatures: [] },
      body: sentence(50),
      file: `gen-${i}.md`,
    });
  }
  return out;
}
