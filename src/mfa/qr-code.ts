import { encode } from 'uqr';

// A QR code as inline SVG markup, made on the server: no image request, no script. One
// path of unit squares (crisp at any size), dark on a light square whatever the page's
// theme (scanners want dark on light), with the 4-module quiet zone the standard asks for.
export function renderQrSvg(text: string, label: string): string {
  const { size, data } = encode(text, { ecc: 'M', border: 4 });
  let path = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (data[y]![x]) path += `M${x} ${y}h1v1h-1z`;
  }
  const escaped = label.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escaped}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}
