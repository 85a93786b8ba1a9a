// The densest stretch of a text for one phrase: the window holding most of its distinct words.

/**
 * The window over (token, word) pairs with the most distinct phrase words, spanning at most maxSpan tokens.
 * Also reports the lowest and highest phrase word index inside it, to cut the matching part of the phrase.
 */
export function bestWindow(pairs: number[], wordCount: number, maxSpan: number) {
  const counts = new Array<number>(wordCount).fill(0);
  let distinct = 0;
  let left = 0;
  let best = { distinct: 0, from: pairs[0] ?? 0, to: pairs[0] ?? 0, left: 0, right: 0 };
  for (let right = 0; right < pairs.length; right += 2) {
    const t = pairs[right]!;
    const w = pairs[right + 1]!;
    if (counts[w]!++ === 0) distinct++;
    while (t - pairs[left]! > maxSpan) {
      const lw = pairs[left + 1]!;
      if (--counts[lw]! === 0) distinct--;
      left += 2;
    }
    if (distinct > best.distinct) best = { distinct, from: pairs[left]!, to: t, left, right };
    if (distinct === wordCount) break;
  }
  let lowWord = wordCount - 1;
  let highWord = 0;
  const words = new Set<number>();
  for (let i = best.left; i <= best.right; i += 2) {
    const w = pairs[i + 1]!;
    words.add(w);
    if (w < lowWord) lowWord = w;
    if (w > highWord) highWord = w;
  }
  return { distinct: best.distinct, from: best.from, to: best.to, lowWord, highWord, words };
}
