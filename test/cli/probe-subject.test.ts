// Issue 21 point 8: `exchange-bot probe exch01`, a short NetBIOS-style server name that is not in the hosts file,
// is probed as a host when it resolves (and the output says so), and refused with both facts when it does not.
// The resolver is the one seam: DNS on this machine cannot be made to answer for a made-up name.
import { describe, expect, it } from "vitest";
import { probedAsHostNote, resolvesTo } from "../../src/cli/probe-subject.js";

describe("a probe subject that is not in the hosts file", () => {
  it("resolves through the resolver it is given, within the deadline", async () => {
    expect(await resolvesTo("exch01", async (n) => (n === "exch01" ? "10.1.2.3" : Promise.reject(new Error("ENOTFOUND"))))).toBe("10.1.2.3");
    expect(await resolvesTo("exch02", async () => Promise.reject(new Error("ENOTFOUND")))).toBeUndefined();
    // A resolver that never answers: not resolving, in the time given.
    const started = Date.now();
    expect(await resolvesTo("slow01", () => new Promise<string>(() => undefined), 150)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("never hands a resolver text that is no host name", async () => {
    const asked: string[] = [];
    const spy = async (n: string) => (asked.push(n), "10.0.0.1");
    for (const bad of ["exch 01", "http://exch01", "exch01/x", "", "-exch01", "a".repeat(70)]) expect(await resolvesTo(bad, spy)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it("says which it did", () => {
    expect(probedAsHostNote("exch01", "10.1.2.3", "./probe-hosts.yml")).toBe("'exch01' is not in ./probe-hosts.yml; probed it as a host name (it resolves to 10.1.2.3).");
  });
});
