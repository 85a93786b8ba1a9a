// Work after an ack runs in slices, in arrival order, with turns of the event loop between slices, so requests
// waiting to be read (and acked) are not held up behind all the work queued before them.
import { expect, it } from "vitest";
import { afterPendingAcks } from "../../src/slack/after-acks.js";

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

it("runs queued work in arrival order, a slice per loop turn, giving pending I/O turns in between", async () => {
  const order: number[] = [];
  let turns = 0;
  let done = false;
  const tick = (): void => {
    turns++;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      await afterPendingAcks();
      order.push(i);
      busy(1);
    }),
  );
  done = true;
  expect(order).toEqual(Array.from({ length: 60 }, (_, i) => i));
  // 60 ms of work in slices of about 5 ms: the loop came round many times meanwhile, not once at the end.
  expect(turns).toBeGreaterThanOrEqual(6);
});
