// Each "Did this help?" vote writes one `feedback` log line (the handler's), not two: without Redis the
// feedback trail used to print every record on stdout as well. The audit trail still prints its line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { openState } from "../../src/state/open.js";

afterEach(() => vi.restoreAllMocks());

describe("the in-process trails", () => {
  it("keep feedback records quiet on stdout, and print each audit record once", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const state = await openState({ log: () => undefined });
    await state.feedback.append({ event: "feedback", helpful: true, article: "Q171435", user: "U1", channel: "C1" });
    await state.audit.append({ audit: "probe", host: "lab", outcome: "ok" });
    vi.restoreAllMocks();
    expect(lines.filter((l) => l.includes('"feedback"'))).toEqual([]);
    expect(lines.filter((l) => l.includes('"audit":"probe"'))).toHaveLength(1);
    await state.close();
  });
});
