/** Gram matrix G[i][j] = ⟨xᵢ, xⱼ⟩ in float64, for spherical methods that work in coefficient space. */
export function gramMatrix(vectors: readonly Float32Array[], subtract?: Float32Array): Float64Array {
  const count = vectors.length;
  const gram = new Float64Array(count * count);
  const n = vectors[0]?.length ?? 0;
  for (let i = 0; i < n; i++) {
    const b = subtract ? subtract[i]! : 0;
    for (let p = 0; p < count; p++) {
      const x = vectors[p]![i]! - b;
      if (x === 0) continue;
      for (let q = p; q < count; q++) gram[p * count + q]! += x * (vectors[q]![i]! - b);
    }
  }
  for (let p = 0; p < count; p++) for (let q = 0; q < p; q++) gram[p * count + q] = gram[q * count + p]!;
  return gram;
}

/** ⟨Σ aᵢxᵢ, Σ bⱼxⱼ⟩ = aᵀ G b. */
export function gramInner(gram: Float64Array, a: Float64Array, b: Float64Array): number {
  const count = a.length;
  let sum = 0;
  for (let p = 0; p < count; p++) {
    if (a[p] === 0) continue;
    let row = 0;
    for (let q = 0; q < count; q++) row += gram[p * count + q]! * b[q]!;
    sum += a[p]! * row;
  }
  return sum;
}

/** out = (base ?? 0) · baseCoefficient + Σ cᵢ (xᵢ − base), in one pass. */
export function combine(
  vectors: readonly Float32Array[],
  coefficients: Float64Array,
  base?: Float32Array,
): Float32Array {
  const n = vectors[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const b = base ? base[i]! : 0;
    let sum = b;
    for (let p = 0; p < vectors.length; p++) sum += coefficients[p]! * (vectors[p]![i]! - b);
    out[i] = sum;
  }
  return out;
}
