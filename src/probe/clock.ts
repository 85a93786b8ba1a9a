// The probe's clock, in milliseconds: only differences are used (step times, deadlines). process.hrtime rather
// than performance.now(): the first use of `performance` loads perf_hooks, 1 MB more for a one-shot check.
export function now(): number {
  const [s, ns] = process.hrtime();
  return s * 1000 + ns / 1e6;
}
