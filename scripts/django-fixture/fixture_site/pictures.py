# The bytes of the fixture's pictures, made with Pillow so that a rerun gives the
# same files. Each returns (name as uploaded, bytes); Django's storage decides the
# final path under MEDIA_ROOT/profile_pics/.
import io
from pathlib import Path

from PIL import Image, ImageDraw

GPS_SOURCE = Path(__file__).resolve().parents[3] / "test" / "fixtures" / "photo-gps.jpg"


def make_default_jpeg():
    """The tutorial's media/default.jpg: a grey silhouette on a light background."""
    image = Image.new("RGB", (300, 300), (230, 230, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((105, 50, 195, 140), fill=(160, 160, 160))
    draw.ellipse((60, 160, 240, 340), fill=(160, 160, 160))
    return "default.jpg", encode(image, "JPEG", quality=85)


def make_gps_jpeg():
    """A smaller copy of test/fixtures/photo-gps.jpg that keeps its EXIF block (GPS included)."""
    with Image.open(GPS_SOURCE) as source:
        exif = source.info["exif"]
        image = source.resize((640, 480), Image.LANCZOS)
    return "Alice holiday.jpg", encode(image, "JPEG", quality=85, exif=exif)


def make_png():
    """A non-square RGBA PNG with a transparent corner."""
    image = Image.new("RGBA", (320, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for x in range(0, 320, 20):
        draw.rectangle((x, 0, x + 19, 239), fill=(x % 256, 120, 255 - x % 256, 255))
    draw.polygon([(0, 0), (80, 0), (0, 60)], fill=(0, 0, 0, 0))
    return "alice.png", encode(image, "PNG", optimize=False)


def make_unicode_named_jpeg():
    """A portrait JPEG without EXIF whose uploaded name has spaces and accents."""
    image = Image.new("RGB", (300, 400), (250, 240, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 260, 300, 400), fill=(70, 140, 200))
    draw.ellipse((190, 40, 260, 110), fill=(250, 200, 40))
    return "Zo\u00eb \u00e0 la plage.jpg", encode(image, "JPEG", quality=80)


def make_not_an_image():
    return "victor.jpg", b"This is a text file that was uploaded with a .jpg name.\n"


def encode(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
