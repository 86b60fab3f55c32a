/**
 * Seeded synthetic embeddings and exact brute-force search, for the ANN benchmark.
 *
 * Real sentence embeddings are not isotropic: they lie near a low-dimensional set, in clusters
 * (topics). So the generator draws Gaussian clusters in a `latent`-dimensional space, maps them
 * into `dim` dimensions with a fixed random projection, adds a little isotropic noise and
 * normalises to unit length (the index uses inner product on unit vectors, as paperbot does).
 */

/** mulberry32: a small, fast, seeded 32-bit PRNG; returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box-Muller, both values used). */
export function createGaussian(seed: number): () => number {
  const uniform = createRandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

export interface GeneratorOptions {
  dim: number;
  /** Number of Gaussian clusters. */
  clusters: number;
  /** Dimensions of the space the clusters live in before projection (default 64). */
  latent?: number;
  /** Standard deviation of a cluster around its centre, centres being N(0, 1) (default 0.6). */
  spread?: number;
  /** Norm of the isotropic noise added after projection, relative to 1 (default 0.2). */
  noise?: number;
  seed: number;
}

/** The shape of the data set: cluster centres and projection, shared by data and queries. */
export class ClusteredVectors {
  readonly dim: number;
  private readonly latent: number;
  private readonly spread: number;
  private readonly noise: number;
  private readonly centres: Float64Array;
  private readonly projection: Float64Array;
  private readonly clusters: number;

  constructor(options: GeneratorOptions) {
    this.dim = options.dim;
    this.latent = options.latent ?? 64;
    this.spread = options.spread ?? 0.6;
    this.noise = options.noise ?? 0.2;
    this.clusters = options.clusters;
    const gaussian = createGaussian(options.seed);
    this.centres = Float64Array.from({ length: this.clusters * this.latent }, gaussian);
    const scale = 1 / Math.sqrt(this.dim);
    this.projection = Float64Array.from({ length: this.latent * this.dim }, () => gaussian() * scale);
  }

  /** `count` unit vectors, row-major; `seed` picks the stream (use different seeds for data and queries). */
  generate(count: number, seed: number): Float32Array {
    const { dim, latent } = this;
    const output = new Float32Array(count * dim);
    const gaussian = createGaussian(seed);
    const uniform = createRandom(seed ^ 0x9e3779b9);
    const point = new Float64Array(latent);
    const row = new Float64Array(dim);
    const noiseScale = this.noise / Math.sqrt(dim);
    for (let item = 0; item < count; item++) {
      const cluster = Math.floor(uniform() * this.clusters);
      for (let axis = 0; axis < latent; axis++) {
        point[axis] = (this.centres[cluster * latent + axis] ?? 0) + this.spread * gaussian();
      }
      row.fill(0);
      for (let axis = 0; axis < latent; axis++) {
        const weight = point[axis] ?? 0;
        const offset = axis * dim;
        for (let column = 0; column < dim; column++) {
          row[column] = (row[column] ?? 0) + weight * (this.projection[offset + column] ?? 0);
        }
      }
      let norm = 0;
      for (let column = 0; column < dim; column++) norm += (row[column] ?? 0) ** 2;
      const inverse = 1 / Math.sqrt(norm);
      norm = 0;
      for (let column = 0; column < dim; column++) {
        const value = (row[column] ?? 0) * inverse + noiseScale * gaussian();
        row[column] = value;
        norm += value * value;
      }
      const unit = 1 / Math.sqrt(norm);
      const base = item * dim;
      for (let column = 0; column < dim; column++) output[base + column] = (row[column] ?? 0) * unit;
    }
    return output;
  }
}

/** One row of a row-major matrix as a plain array (what hnswlib-node's API takes). */
export function rowArray(data: Float32Array, dim: number, row: number): number[] {
  return Array.from(data.subarray(row * dim, (row + 1) * dim));
}

/**
 * Exact top-k by inner product: a tight Float32Array loop over every vector, keeping the best k
 * in a small sorted buffer. Returns labels best first.
 */
export function exactTopK(data: Float32Array, dim: number, query: Float32Array, k: number): number[] {
  const count = data.length / dim;
  const bestScores = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  const bestLabels = new Int32Array(k).fill(-1);
  let threshold = Number.NEGATIVE_INFINITY;
  const tail = dim - (dim % 4);
  for (let item = 0, base = 0; item < count; item++, base += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let column = 0; column < tail; column += 4) {
      s0 += data[base + column]! * query[column]!;
      s1 += data[base + column + 1]! * query[column + 1]!;
      s2 += data[base + column + 2]! * query[column + 2]!;
      s3 += data[base + column + 3]! * query[column + 3]!;
    }
    let score = s0 + s1 + s2 + s3;
    for (let column = tail; column < dim; column++) score += data[base + column]! * query[column]!;
    if (score <= threshold) continue;
    let position = k - 1;
    while (position > 0 && bestScores[position - 1]! < score) {
      bestScores[position] = bestScores[position - 1]!;
      bestLabels[position] = bestLabels[position - 1]!;
      position--;
    }
    bestScores[position] = score;
    bestLabels[position] = item;
    threshold = bestScores[k - 1]!;
  }
  return Array.from(bestLabels);
}
