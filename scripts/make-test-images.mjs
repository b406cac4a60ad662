// Writes the images the tests upload into test/fixtures/ (committed; run again only to
// change them). `node scripts/make-test-images.mjs [--photo-only OUT.jpg WIDTHxHEIGHT]`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

const dir = new URL('../test/fixtures/', import.meta.url);

// A photo-like picture: colour gradients plus noise, so encoders cannot shrink it to nothing.
export async function makePhoto(width, height, { gps = true } = {}) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const noise = (Math.sin(x * 12.9898 + y * 78.233) * 43758.5453) % 1;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = 128 + noise * 60;
    }
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } });
  if (gps) {
    image = image.withExif({
      IFD0: { Make: 'FixtureCam', Model: 'GPS Test 1', Copyright: 'EXIF-MARKER-FOR-TESTS' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4020/100' },
    });
  }
  return image.jpeg({ quality: 85 }).toBuffer();
}

// A valid PNG header that claims 30000x30000 pixels around a few bytes of data:
// what a decompression bomb looks like before anyone decodes it.
function hugeDimensionsPng() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(30001))), chunk('IEND', Buffer.alloc(0))]);
}

if (process.argv[2] === '--photo-only') {
  const [width, height] = process.argv[4].split('x').map(Number);
  writeFileSync(process.argv[3], await makePhoto(width, height));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('photo-gps.jpg', dir), await makePhoto(2000, 1500));
  writeFileSync(new URL('small.png', dir), await sharp({ create: { width: 300, height: 200, channels: 4, background: '#3a7bd5' } }).png().toBuffer());
  writeFileSync(new URL('wide.webp', dir), await sharp({ create: { width: 900, height: 600, channels: 3, background: '#d53a7b' } }).webp().toBuffer());
  writeFileSync(new URL('tiny.gif', dir), await sharp({ create: { width: 64, height: 64, channels: 3, background: '#7bd53a' } }).gif().toBuffer());
  writeFileSync(new URL('tiny.avif', dir), await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3ad5c0' } }).avif().toBuffer());
  writeFileSync(new URL('huge-dimensions.png', dir), hugeDimensionsPng());
  writeFileSync(new URL('vector.svg', dir), '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script><circle cx="50" cy="50" r="40"/></svg>\n');
  writeFileSync(new URL('not-an-image.jpg', dir), 'This is plain text pretending to be a JPEG.\n');
  console.log('fixtures written to test/fixtures/');
}
