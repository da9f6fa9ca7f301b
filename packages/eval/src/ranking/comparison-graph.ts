import { evalError } from '../errors.js';

/**
 * Strongly connected components of the "i beat j" graph (Tarjan). The BT/PL maximum-likelihood estimate is
 * finite iff there is exactly one component (Hunter 2004, assumption 1).
 */
export function strongComponents(n: number, beats: (i: number) => Iterable<number>): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  // Iterative Tarjan to avoid deep recursion on large graphs.
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; it: Iterator<number> }[] = [{ v: root, it: beats(root)[Symbol.iterator]() }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const next = frame.it.next();
      if (!next.done) {
        const w = next.value;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, it: beats(w)[Symbol.iterator]() });
        } else if (onStack[w]) low[frame.v] = Math.min(low[frame.v]!, index[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v]!, low[frame.v]!);
      if (low[frame.v] === index[frame.v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== frame.v);
        components.push(component.sort((a, b) => a - b));
      }
    }
  }
  return components;
}

/** Throws E_DISCONNECTED with the components when the comparison graph is not strongly connected. */
export function requireStronglyConnected(
  n: number,
  beats: (i: number) => Iterable<number>,
  names?: readonly string[],
): void {
  const components = strongComponents(n, beats);
  if (components.length <= 1) return;
  const label = (i: number) => names?.[i] ?? String(i);
  const shown = components
    .slice(0, 4)
    .map((c) => `{${c.slice(0, 6).map(label).join(', ')}${c.length > 6 ? ', …' : ''}}`)
    .join(' ');
  throw evalError(
    'E_DISCONNECTED',
    `the comparison graph is not strongly connected (${components.length} groups: ${shown}); some model never beats or never loses to another group, so the maximum-likelihood strengths are infinite. Add comparisons or pass a regularization alpha > 0`,
  );
}
