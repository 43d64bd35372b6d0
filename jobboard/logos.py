"""Company logos: an upload is read by Pillow, checked, resized to at most LOGO_SIZE px a
side and re-encoded as a PNG; only that PNG is kept and served (as image/png, never as what
was uploaded), so a file that is not an image, or carries anything but pixels, goes no
further than this module."""
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from jobboard.errors import InvalidInput

LOGO_SIZE = 256  # px, the longer side
MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a decompression bomb is refused before it is decoded
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}
READABLE = "a PNG, JPEG, WebP or GIF image"


def _refuse(message: str):
    raise InvalidInput({"logo": [message]})


def to_png(data: bytes) -> tuple[bytes, int, int]:
    """The upload as the PNG the site serves: (bytes, width, height); InvalidInput on the
    `logo` field otherwise."""
    if not data:
        _refuse(f"Choose {READABLE}.")
    if len(data) > MAX_BYTES:
        _refuse(f"The logo is {len(data) / 1024 / 1024:.1f} MB; send one of at most 2 MB.")
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format not in FORMATS:
                _refuse(f"That is a {image.format} file; send {READABLE}.")
            if image.width * image.height > MAX_PIXELS:
                _refuse(f"The logo is {image.width} x {image.height} px; send one of at most "
                        "5,000 x 5,000.")
            image.seek(0)  # an animated GIF: its first frame
            image = ImageOps.exif_transpose(image).convert("RGBA")
            image.thumbnail((LOGO_SIZE, LOGO_SIZE))
            out = BytesIO()
            image.save(out, "PNG", optimize=True)
            return out.getvalue(), image.width, image.height
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError,
            EOFError, SyntaxError):
        _refuse(f"That file is not {READABLE} we can read.")
