/** log(1 + y) − y without cancellation for small |y|. */
export function log1pmx(y: number): number {
  if (Math.abs(y) > 0.1) return Math.log1p(y) - y;
  // −y²/2 + y³/3 − … ; |y| ≤ 0.1 needs ≤ 16 terms for 1e-17.
  let term = y;
  let sum = 0;
  for (let k = 2; k < 40; k++) {
    term *= -y;
    const add = term / k;
    sum += add;
    if (Math.abs(add) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}
