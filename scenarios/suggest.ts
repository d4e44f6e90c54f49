/**
 * "Did you mean …?" suggestions for misspelt keys, names and units.
 */

/** Edit distance (insert, delete, substitute; each costs 1) between two strings. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // One row suffices: each cell only needs the row above and the cell to its left.
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo: edit distance ≤ 2
 * (case-insensitive) or one is a prefix of the other (`replica` → `replicas`). Ties go to the
 * earlier candidate so suggestions are deterministic.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (lc === w) return c;
    const d = levenshtein(w, lc);
    // A prefix match is a strong hint even when the distance is larger (`serv` → `services`).
    const prefix = w.length >= 2 && (lc.startsWith(w) || w.startsWith(lc));
    if (d > 2 && !prefix) continue;
    const score = prefix ? Math.min(d, 2) - 0.5 : d;
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** `; did you mean \`x\`?` when a close candidate exists, otherwise the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean \`${c}\`?`;
}

/** `\`a\`, \`b\`, \`c\`` for listing the valid choices in a message. */
export function listOf(items: readonly string[]): string {
  return items.map((i) => `\`${i}\``).join(', ');
}
