// fc.assert, but a failure names the seed and a short excerpt of the counterexample: a 1 MB input printed
// whole buries the report.
import fc from "fast-check";

export function assertShort<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, params: fc.Parameters<Ts> = {}): void | Promise<void> {
  const report = (d: fc.RunDetails<Ts>): void => {
    if (!d.failed) return;
    const shown = JSON.stringify(d.counterexample, (_k, v: unknown) => (typeof v === "string" && v.length > 200 ? `${v.slice(0, 200)}… (${v.length} chars)` : v));
    const cause = d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance);
    throw new Error(`property failed after ${d.numRuns} runs (seed ${d.seed}, path "${d.counterexamplePath}"): ${cause.slice(0, 2000)}\ncounterexample: ${shown?.slice(0, 1500)}`);
  };
  const d = fc.check(property as fc.IProperty<Ts>, params);
  if (d instanceof Promise) return (d as Promise<fc.RunDetails<Ts>>).then(report);
  report(d as fc.RunDetails<Ts>);
}
