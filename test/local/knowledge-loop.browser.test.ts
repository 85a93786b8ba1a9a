// The knowledge loop on the local page, in real headless Chromium: an article saved into the knowledge folder
// shows up in the page's list of articles without a reload of the page, and "No" opens the "What was wrong?"
// form, whose Send reaches the bot as a view_submission through its real receiver and lands in DATA_DIR.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocal, type LocalMode } from "../../src/app/local-mode.js";
import { parseHistory } from "../../src/feedback/records.js";
import { articleTemplate } from "../../src/knowledge/template.js";
import type { LogRecord } from "../../src/slack/services.js";
import { FEEDBACK_FILE } from "../../src/state/feedback-file.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";
import { eventually } from "../slack/harness.js";
import { launchChromium, openLocalPage, RUN_BROWSER } from "./chromium.js";
import { localConfig } from "./config.js";

let local: LocalMode | undefined;
let browser: Browser;
let page: Page;
let cwd: string;
let kb: string;
const logs: LogRecord[] = [];

describe.skipIf(!RUN_BROWSER)("the knowledge loop on the local page", () => {
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), "local-loop-"));
    kb = mkdtempSync(join(tmpdir(), "local-loop-kb-"));
    cpSync(FIXTURE_KNOWLEDGE_DIR, kb, { recursive: true });
    local = await startLocal(localConfig(cwd, { KNOWLEDGE_DIR: kb }), { env: {}, log: (r) => logs.push(r) });
    browser = await launchChromium();
    page = await openLocalPage(browser, local.url, { width: 1440, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    for (const d of [cwd, kb]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it("an article saved into the folder joins the page's list of articles, which stays open", async () => {
    const list = page.locator("#intro details");
    expect(await list.locator("summary").innerText()).toBe("4 articles in the knowledge base");
    await list.locator("summary").click();
    await page.evaluate(() => ((window as unknown as { sameLoad: boolean }).sameLoad = true));
    const text = articleTemplate({ id: "E2007-9646", title: "Mapi session exceeded its folder objects", event: { id: 9646, source: "MSExchangeIS", type: "Error", message: "Mapi session exceeded the maximum of 500 objects of type objtFolder." } });
    writeFileSync(join(kb, "E2007-9646-mapi-session-objects.md"), text);
    await expect.poll(() => list.locator("summary").innerText(), { timeout: 20_000 }).toBe("5 articles in the knowledge base");
    expect(await list.getAttribute("open")).not.toBeNull();
    expect(await list.locator("li", { hasText: "E2007-9646" }).innerText()).toContain("Mapi session exceeded its folder objects");
    // Its "try" button is offered too, and the page was not reloaded to get there.
    expect(await page.locator("#intro button.try", { hasText: "/exchange 9646" }).count()).toBe(1);
    expect(await page.locator("#knowledge-banner").innerText()).toBe("Knowledge reloaded: 5 articles.");
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true);
  });

  it("No opens \"What was wrong?\" with a text field; Send records the reason and closes it; Skip sends nothing", async () => {
    await page.locator("#composer-input").fill("/exchange 11202");
    await page.locator("#composer-input").press("Enter");
    const no = page.locator("button.btn", { hasText: /^No$/ }).last();
    await no.waitFor({ timeout: 15_000 });
    await no.click();
    const modal = page.locator("#modal .modal");
    await modal.waitFor({ timeout: 10_000 });
    expect(await modal.locator(".modal-header").innerText()).toContain("What was wrong?");
    const field = modal.locator("textarea.modal-input");
    expect(await field.getAttribute("maxlength")).toBe("2000");
    await field.fill("Step 3 restarts the wrong service <!channel>");
    await modal.locator("button.btn.primary", { hasText: "Send" }).click();
    await expect.poll(() => page.locator("#modal").count()).toBe(0);
    await eventually(() => logs.find((l) => l.event === "feedback_reason"));
    const { records } = parseHistory(readFileSync(join(cwd, "data", FEEDBACK_FILE), "utf8"));
    expect(records).toContainEqual(expect.objectContaining({ type: "reason", article: "Q171435", user: local!.info.user.id, text: "Step 3 restarts the wrong service <!channel>" }));

    // Skip closes the form and sends nothing.
    await no.click();
    await modal.waitFor({ timeout: 10_000 });
    await modal.locator("textarea.modal-input").fill("never sent");
    await modal.locator("button.btn", { hasText: "Skip" }).click();
    await expect.poll(() => page.locator("#modal").count()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(logs.filter((l) => l.event === "feedback_reason")).toHaveLength(1);
  }, 60_000);
});
