// A seeded random source (mulberry32), so a soak's choices and faults can be repeated
// with the same SOAK_SEED. With 64 connections the order in which requests reach a
// draw still depends on timing: the same seed gives the same sequence of draws, not
// the same request getting the same draw.
export function seededRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    // An integer in [0, n).
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    // A key of `weights` ({ name: weight }), in proportion to its weight.
    weighted(weights) {
      const entries = Object.entries(weights);
      let roll = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [name, weight] of entries) if ((roll -= weight) < 0) return name;
      return entries.at(-1)[0];
    },
  };
}

// Separate, reproducible streams from one seed (the proxy's faults, the traffic's choices).
export function streamSeed(seed, stream) {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of stream) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
