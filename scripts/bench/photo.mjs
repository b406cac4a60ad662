// The upload test photo must stay under the app's 5 MB limit. make-test-images.mjs
// writes a 4000x3000 JPEG at quality 85; should that ever exceed the limit, re-encode it
// at lower qualities (same 4000x3000 pixels) until it fits, and say so.
import { readFile, stat, writeFile } from 'node:fs/promises';
import sharp from 'sharp';

export async function ensureUnderLimit(path, limit) {
  const { size } = await stat(path);
  const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  if (size <= limit) return { note: `photo: 4000x3000 JPEG from make-test-images.mjs, ${mb(size)}` };
  const original = await readFile(path);
  for (const quality of [75, 65, 55, 45]) {
    const smaller = await sharp(original).jpeg({ quality }).toBuffer();
    if (smaller.length <= limit) {
      await writeFile(path, smaller);
      return { note: `photo: make-test-images.mjs gave ${mb(size)} (over the limit); re-encoded at quality ${quality}: 4000x3000, ${mb(smaller.length)}` };
    }
  }
  throw new Error(`could not bring the test photo under ${mb(limit)}`);
}

// A second, mirrored photo. Avatar keys are content hashes and an unchanged picture
// is not stored again, so uploads alternate between the two: each one is a real change
// (two S3 puts, one D1 update, two S3 deletes of the previous picture).
export async function mirroredCopy(path, outPath) {
  await sharp(await readFile(path)).flop().keepExif().jpeg({ quality: 85 }).toFile(outPath);
  return outPath;
}
