// Issue 21 point 8 on the local page in real Chromium: a 39,000-character paste is shown collapsed behind
// "Show more", as Slack shows a long message, and the thread pane opens at the start of the bot's newest reply
// (where the cause is), not scrolled to its end. The "Only visible to you" note uses no emoji font.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocal, type LocalMode } from "../../src/app/local-mode.js";
import { launchChromium, openLocalPage, RUN_BROWSER } from "./chromium.js";
import { localConfig } from "./config.js";

const EVENT = [
  "Event Type:\tFailure Audit",
  "Event Source:\tMSExchangePOP3",
  "Event ID:\t11202",
  "Description: Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.",
].join("\n");
const FILLER = Array.from({ length: 560 }, (_, i) => `  export line ${String(i).padStart(4, "0")} ${"x".repeat(50)}`).join("\n");

let local: LocalMode | undefined;
let browser: Browser;
let page: Page;

describe.skipIf(!RUN_BROWSER)("long messages and the thread pane", () => {
  beforeAll(async () => {
    local = await startLocal(localConfig(mkdtempSync(join(tmpdir(), "local-long-"))), { env: {}, log: () => undefined });
    browser = await launchChromium();
    page = await openLocalPage(browser, local.url, { width: 1280, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await local?.stop().catch(() => undefined);
  });

  it("a 39,000-character paste is collapsed behind Show more, and opens on click", async () => {
    const paste = `${EVENT}\n${FILLER}`;
    expect(paste.length).toBeGreaterThan(35_000);
    await page.locator("#composer-input").fill(paste);
    await page.locator("#composer-input").press("Enter");
    const mine = page.locator("#messages .msg.from-person", { hasText: "export line 0000" }).last();
    await mine.waitFor();
    const body = mine.locator(".msg-body");
    expect(await body.getAttribute("class")).toContain("long");
    const collapsed = (await body.boundingBox())!.height;
    expect(collapsed).toBeLessThan(500);
    await mine.locator("button.show-more").click();
    await expect.poll(async () => (await body.boundingBox())!.height).toBeGreaterThan(collapsed * 5);
    expect(await mine.locator("button.show-more").innerText()).toBe("Show less");
  });

  it("the thread opens at the start of the bot's newest reply", async () => {
    await page.locator("#thread-close").click().catch(() => undefined);
    await page.locator("#composer-input").fill(EVENT);
    await page.locator("#composer-input").press("Enter");
    await page.locator("#thread .msg.from-bot").first().waitFor({ timeout: 10_000 });
    const list = page.locator("#thread-messages");
    // Wait until the answer's replies are all in, then open the thread afresh as a reader would.
    await expect.poll(async () => page.locator("#thread .msg.from-bot").count()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    const parentTs = await page.locator("#thread .msg").first().getAttribute("data-ts");
    await page.locator("#thread-close").click();
    await page.locator(`#messages .msg[data-ts="${parentTs}"] [data-open-thread]`).click();
    const newest = page.locator("#thread .msg.from-bot").last();
    const [n, l] = [(await newest.boundingBox())!, (await list.boundingBox())!];
    expect(n.y).toBeGreaterThanOrEqual(l.y - 1);
    expect(n.y).toBeLessThan(l.y + 40);
    expect(await list.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  });
});
