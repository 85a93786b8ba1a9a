// The accounting of unfinished bodies: general pool with a cap per address, a reserve for Slack-shaped small
// bodies with a share per address, and every reservation given back exactly once.
import { describe, expect, it } from "vitest";
import { addressKey, BodyBudget, slackShaped } from "../../src/slack/body-budget.js";

const limits = { budgetBytes: 100, reserveBytes: 20, perAddressBytes: 30, perAddressBodies: 3, reserveShareBytes: 10, smallBody: 8 };

describe("BodyBudget", () => {
  it("caps one address in the general pool by bytes (429) and by bodies (429)", () => {
    const b = new BodyBudget(limits);
    expect(b.admit("10.0.0.1", 25, false).ok).toBe(true);
    expect(b.admit("10.0.0.1", 6, false)).toMatchObject({ ok: false, status: 429 });
    expect(b.admit("10.0.0.2", 6, false).ok).toBe(true);
    const c = new BodyBudget(limits);
    for (let i = 0; i < 3; i++) expect(c.admit("10.0.0.1", 1, false).ok).toBe(true);
    expect(c.admit("10.0.0.1", 1, false)).toMatchObject({ ok: false, status: 429 });
  });

  it("keeps the reserve for Slack-shaped small bodies once the general pool is full (503 for the rest)", () => {
    const b = new BodyBudget(limits);
    for (const a of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) expect(b.admit(a, 25, false).ok).toBe(true);
    expect(b.admit("10.0.0.4", 6, false)).toMatchObject({ ok: false, status: 503 });
    expect(b.admit("10.0.0.4", 9, true)).toMatchObject({ ok: false, status: 503 });
    expect(b.admit("10.0.0.4", 8, true)).toMatchObject({ ok: true, pool: "reserve" });
    // One address may hold only its share of the reserve.
    expect(b.admit("10.0.0.4", 8, true)).toMatchObject({ ok: false });
    expect(b.admit("10.0.0.5", 8, true)).toMatchObject({ ok: true, pool: "reserve" });
    expect(b.admit("10.0.0.6", 8, true)).toMatchObject({ ok: false, status: 503 });
    expect(b.reserved).toBe(91);
  });

  it("lets an address over its cap use the reserve for a Slack-shaped body", () => {
    const b = new BodyBudget(limits);
    expect(b.admit("10.0.0.1", 30, false).ok).toBe(true);
    expect(b.admit("10.0.0.1", 5, true)).toMatchObject({ ok: true, pool: "reserve" });
  });

  it("gives every reservation back once, and forgets an address holding nothing", () => {
    const b = new BodyBudget(limits);
    const x = b.admit("10.0.0.1", 30, false);
    const y = b.admit("10.0.0.1", 5, true);
    if (!x.ok || !y.ok) throw new Error("admitted expected");
    x.release();
    x.release();
    expect(b.reserved).toBe(5);
    expect(b.addresses).toBe(1);
    y.release();
    expect(b.reserved).toBe(0);
    expect(b.addresses).toBe(0);
  });

  it("counts an IPv6 /64 as one address, and a mapped IPv4 as the IPv4", () => {
    expect(addressKey("2001:db8:1:2::5")).toBe(addressKey("2001:0db8:0001:0002:ffff:1:2:3"));
    expect(addressKey("2001:db8:1:2::5")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:3::5")).not.toBe(addressKey("2001:db8:1:2::5"));
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(addressKey(undefined)).toBe("?");
    const b = new BodyBudget(limits);
    expect(b.admit("2001:db8:1:2::5", 30, false).ok).toBe(true);
    expect(b.admit("2001:db8:1:2::6", 1, false)).toMatchObject({ ok: false, status: 429 });
  });

  it("takes Slack's header shape only: v0 and 64 hex digits, and a timestamp", () => {
    const sig = `v0=${"a1".repeat(32)}`;
    expect(slackShaped({ "x-slack-signature": sig, "x-slack-request-timestamp": "1700000000" })).toBe(true);
    expect(slackShaped({ "x-slack-signature": sig })).toBe(false);
    expect(slackShaped({ "x-slack-signature": `v1=${"a1".repeat(32)}`, "x-slack-request-timestamp": "1" })).toBe(false);
    expect(slackShaped({ "x-slack-signature": [sig, sig], "x-slack-request-timestamp": "1" })).toBe(false);
  });
});
