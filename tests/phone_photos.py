"""Photos as a phone takes them: large JPEGs with EXIF orientation, a camera name and GPS.

The sensor's picture is landscape with a red band along its left edge; EXIF orientation 6
tells a viewer to turn it a quarter clockwise, so shown upright it is portrait with the
red band at the top. A test that finds red at the top of the stored photo proves the
rotation was honoured.
"""

import io

from PIL import Image

ORIENTATION, MAKE, GPS_IFD = 0x0112, 0x010F, 0x8825
FARM_GPS = {1: "N", 2: (10.0, 32.0, 15.0), 3: "E", 4: (106.0, 24.0, 30.0)}
RED = (220, 20, 30)


def phone_jpeg(width=4000, height=3000, *, quality=95, orientation=6, gps=True) -> bytes:
    """A noisy JPEG (noise does not compress: 4000×3000 at quality 95 is about 14 MB)."""
    noise = Image.effect_noise((width, height), 80)
    picture = Image.merge(
        "RGB", (noise, noise.rotate(180), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    picture.paste(RED, (0, 0, width // 5, height))  # the left edge: the top once upright
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "Samsung"
    if gps:
        exif.get_ifd(GPS_IFD).update(FARM_GPS)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def is_red(pixel) -> bool:
    red, green, blue = pixel[:3]
    return red > 180 and green < 90 and blue < 90


def phone_heic(width=800, height=600, *, gps=True) -> bytes:
    """An HEIC as an iPhone saves it: the same picture as ``phone_jpeg`` shown upright
    (portrait, the red band on top), with the camera's name and the farm's GPS in its EXIF.

    A flat picture, not noise: HEIC encoding is slow, and what is tested is the container."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    picture = Image.new("RGB", (height, width), (40, 140, 60))
    picture.paste(RED, (0, 0, height, width // 5))
    exif = Image.Exif()
    exif[MAKE] = "Apple"
    if gps:
        exif.get_ifd(GPS_IFD).update(FARM_GPS)
    buffer = io.BytesIO()
    picture.save(buffer, format="HEIF", quality=80, exif=exif)
    return buffer.getvalue()
