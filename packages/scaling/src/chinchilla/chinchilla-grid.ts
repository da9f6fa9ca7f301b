/**
 * The Hoffmann et al. / Epoch start grid in [a, b, e, alpha, beta] order: alpha, beta ∈ {0, 0.5, …, 2},
 * e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25} — 5·5·5·6·6 = 4,500 starts.
 */
export function hoffmannGrid(): Float64Array[] {
  const starts: Float64Array[] = [];
  const exps = [0, 0.5, 1, 1.5, 2];
  const es = [-1, -0.5, 0, 0.5, 1];
  const ab = [0, 5, 10, 15, 20, 25];
  for (const alpha of exps)
    for (const beta of exps)
      for (const e of es)
        for (const a of ab) for (const b of ab) starts.push(Float64Array.of(a, b, e, alpha, beta));
  return starts;
}
