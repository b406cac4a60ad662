// Maps a position in the built bundle back to its source file, from the source map
// wrangler writes beside it (index.js.map). Only the file is needed (where CPU time goes,
// by module), so only the generated column and the source index are decoded.
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((ch, i) => [ch, i]));

// One segment's base-64 VLQ fields.
function decodeSegment(text) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = DIGIT.get(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

// sourceFor(line, column), both 0-based as in a V8 profile's call frames.
export function sourceLookup(map) {
  const lines = [];
  let source = 0;
  for (const line of map.mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const text of line ? line.split(',') : []) {
      const fields = decodeSegment(text);
      column += fields[0];
      if (fields.length > 1) {
        source += fields[1];
        segments.push([column, source]);
      }
    }
    lines.push(segments);
  }
  return (line, column) => {
    const segments = lines[line];
    if (!segments?.length) return null;
    let low = 0;
    let high = segments.length - 1;
    if (segments[0][0] > column) return null;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (segments[middle][0] <= column) low = middle;
      else high = middle - 1;
    }
    return map.sources[segments[low][1]] ?? null;
  };
}
