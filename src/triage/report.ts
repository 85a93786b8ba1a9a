// The triage as the CLI prints it: text for people, and the JSON the issue fixes field by field.
import type { Format } from "./detect.js";
import type { Tally } from "./tally.js";

export interface FileSummary {
  name: string;
  format: Format;
  events: number;
  skipped: number;
}

export interface TriageJson {
  files: FileSummary[];
  events: number;
  faults: { article: string; title: string; events: { id: number; source: string }[]; count: number; first: string; last: string; computers: string[] }[];
  unknown: { source: string; id: number; count: number; first: string; last: string; sample: string }[];
  other: number;
}

const byCount = <T extends { count: number; first: string }>(a: T, b: T) => b.count - a.count || a.first.localeCompare(b.first);

export function triageJson(files: FileSummary[], tally: Tally, top?: number): TriageJson {
  const faults = [...tally.faults.values()].sort(byCount).slice(0, top);
  return {
    files,
    events: tally.events,
    faults: faults.map((f) => ({
      article: f.article,
      title: f.title,
      events: [...f.events.values()],
      count: f.count,
      first: f.first,
      last: f.last,
      computers: [...f.computers].sort(),
    })),
    unknown: [...tally.unknown.values()].sort(byCount).map((u) => ({ source: u.source, id: u.id, count: u.count, first: u.first, last: u.last, sample: u.sample })),
    other: tally.other,
  };
}

/** An article id `kb new` accepts, made from the event's source and ID. */
export const draftId = (source: string, id: number) => `${source.replace(/[^A-Za-z0-9]/g, "") || "Event"}-${id}`;

const computersText = (c: string[]) => (c.length > 5 ? `${c.slice(0, 5).join(", ")} +${c.length - 5}` : c.join(", ") || "(no computer)");

export function triageText(j: TriageJson): string {
  const out: string[] = [];
  if (j.faults.length) {
    out.push("Known faults:");
    for (const f of j.faults) out.push(`  ${f.article}  ${f.title}  ×${f.count}  ${f.first || "?"} … ${f.last || "?"}  ${computersText(f.computers)}`);
  } else out.push("No known faults.");
  if (j.unknown.length) {
    out.push("", "Exchange events not in the knowledge base:");
    for (const u of j.unknown)
      out.push(`  ${u.source} ${u.id}  ×${u.count}  ${u.first || "?"} … ${u.last || "?"}  start one: exchange-bot kb new ${draftId(u.source, u.id)} --from - (paste its first event)`);
  }
  const skipped = j.files.reduce((n, f) => n + f.skipped, 0);
  out.push("", `${j.events} events read, ${skipped} skipped as unreadable, ${j.other} from other sources.`);
  for (const f of j.files) out.push(`  ${f.name} (${f.format}): ${f.events} events, ${f.skipped} skipped`);
  return out.join("\n") + "\n";
}
