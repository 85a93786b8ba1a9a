// Every event through the knowledge service a paste goes through (its source and ID as Event Viewer labels
// them, its message as text), counted by article; Exchange events no article knows by (source, ID); the rest counted.
import type { Knowledge } from "../services/knowledge.js";
import type { EventRecord } from "./record.js";

export interface Span {
  count: number;
  first: string;
  last: string;
}

export interface FaultTally extends Span {
  article: string;
  title: string;
  events: Map<string, { id: number; source: string }>;
  computers: Set<string>;
}

export interface UnknownTally extends Span {
  source: string;
  id: number;
  /** The first event's message, for `kb new ID --from`. */
  sample: string;
}

const MAX_COMPUTERS = 1000;
const MAX_UNKNOWN = 10_000;
const MAX_MEMO = 20_000;

/** What a paste of this event would read like: the matcher's Event Viewer labels, then the message. */
export function eventText(e: EventRecord): string {
  return `Source: ${e.provider}\nEvent ID: ${e.id}\n${e.message}`;
}

export const isExchange = (provider: string) => /^MSExchange/i.test(provider);

function widen(s: Span, time: string): void {
  s.count++;
  if (!time) return;
  if (!s.first || time < s.first) s.first = time;
  if (!s.last || time > s.last) s.last = time;
}

export class Tally {
  readonly faults = new Map<string, FaultTally>();
  readonly unknown = new Map<string, UnknownTally>();
  events = 0;
  other = 0;
  // The same event text recurs thousands of times in a log: match it once. Bounded, cleared when full.
  private readonly memo = new Map<string, string | null>();

  constructor(private readonly knowledge: Knowledge) {}

  private articleFor(e: EventRecord): string | null {
    const text = eventText(e);
    let id = this.memo.get(text);
    if (id === undefined) {
      const r = this.knowledge.matcher.match(text, "channel");
      id = r.decision === "answer" && r.matches[0] ? r.matches[0].article.id : null;
      if (this.memo.size >= MAX_MEMO) this.memo.clear();
      this.memo.set(text, id);
    }
    return id;
  }

  add(e: EventRecord): void {
    this.events++;
    const articleId = this.articleFor(e);
    if (articleId) {
      let f = this.faults.get(articleId);
      if (!f) {
        const a = this.knowledge.byId(articleId)!;
        f = { article: a.id, title: a.title, count: 0, first: "", last: "", events: new Map(), computers: new Set() };
        this.faults.set(articleId, f);
      }
      widen(f, e.time);
      const key = `${e.provider}/${e.id}`;
      if (!f.events.has(key)) f.events.set(key, { id: e.id, source: e.provider });
      if (e.computer && f.computers.size < MAX_COMPUTERS) f.computers.add(e.computer);
      return;
    }
    if (!isExchange(e.provider)) {
      this.other++;
      return;
    }
    const key = `${e.provider}/${e.id}`;
    let u = this.unknown.get(key);
    if (!u) {
      if (this.unknown.size >= MAX_UNKNOWN) return void this.other++;
      u = { source: e.provider, id: e.id, count: 0, first: "", last: "", sample: e.message.slice(0, 2000) };
      this.unknown.set(key, u);
    }
    widen(u, e.time);
  }
}
