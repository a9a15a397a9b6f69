"""Photos from a producer's phone: checked, turned upright, shrunk, and stripped of metadata.

A phone photo is 5–12 MB and up to 50 megapixels, with the camera's orientation in EXIF
and often the farm's GPS position. The portal stores what the public page needs: the
picture the right way up, at most ``MAX_SIDE`` pixels on its longer side, and no EXIF, XMP
or other metadata at all (so no location). Only the colour profile is kept.

iPhones, and many Android phones, save photos as HEIC, which few browsers show: pillow-heif
opens them (it is the plugin Wagtail's image library, Willow, uses too) and they are stored
as JPEG.
"""

from io import BytesIO
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps
from pillow_heif import register_heif_opener
from wagtail.images.fields import WagtailImageField

register_heif_opener()

# Long enough for a 1080-wide rendition at 2× density; a 12 MB JPEG becomes about 1 MB.
MAX_SIDE = 2560
# A 50 MP phone photo; JPEGs are decoded at a reduced scale (Pillow's draft mode), so this
# costs little memory. Pillow's own "decompression bomb" warning starts at 89 MP.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 85
# Pillow's format → how the stored copy is written (PNG keeps transparency, WebP stays WebP;
# anything else, HEIC included, becomes JPEG).
OUTPUT = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp")}
MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGB", "RGBA", "L", "LA"), "WEBP": ("RGB", "RGBA")}


NOT_A_PHOTO = _("Tệp này không phải là ảnh, hoặc ảnh bị hỏng. Hãy chụp lại hoặc chọn ảnh khác.")


class ReadableImageMixin:
    """Wagtail's image field checks, with a picture whose size cannot be read refused as "not
    an image" instead of failing the request: Wagtail catches only Pillow's decompression-bomb
    errors there, and an HEIC cut short names its type in a header that reads and then fails."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001  (any reader's error: the file is unusable)
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class PhonePhotoField(ReadableImageMixin, WagtailImageField):
    """Wagtail's image field (format, size, pixels checked), with Vietnamese messages; its
    value is the copy to store (``photo_normalise``), so a photo that does not decode to the
    end is refused with the form's other errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PhotoInput)
        super().__init__(*args, **kwargs)
        self.max_image_pixels = MAX_PIXELS
        size = self.max_upload_size_text
        self.error_messages.update(
            {
                "invalid_image": NOT_A_PHOTO,
                "invalid_image_extension": _("Chỉ nhận ảnh JPG, PNG, WebP hoặc HEIC."),
                "invalid_image_known_format": _(
                    "Tệp có đuôi %(extension)s nhưng thật ra là ảnh %(image_format)s. "
                    "Chỉ nhận ảnh JPG, PNG, WebP hoặc HEIC đúng đuôi."
                ),
                "file_too_large": _("Ảnh quá lớn (%(file_size)s). Tối đa %(max_filesize)s."),
                "file_too_large_unknown_size": format_lazy(
                    _("Ảnh quá lớn. Tối đa {max_filesize}."), max_filesize=size
                ),
                "file_too_many_pixels": _(
                    "Ảnh quá nhiều điểm ảnh (%(num_pixels)s). Tối đa %(max_pixels_count)s."
                ),
                "empty": _("Tệp ảnh trống. Hãy chụp lại hoặc chọn ảnh khác."),
            }
        )
        # Lazy: the field is built once, at import, and shown in the reader's language.
        self.help_text = format_lazy(_("Ảnh JPG, PNG, WebP hoặc HEIC, tối đa {size}."), size=size)

    def to_python(self, data):
        checked = super().to_python(data)
        return None if checked is None else photo_normalise(checked)

    def check_image_file_format(self, f):
        try:
            super().check_image_file_format(f)
        except ValidationError as error:
            if error.code != "invalid_image_known_format":
                raise
            # Wagtail names the formats in lower case ("png"); people know them as "PNG".
            raise ValidationError(
                self.error_messages["invalid_image_known_format"]
                % {
                    "extension": Path(f.name).suffix.lstrip(".").upper(),
                    "image_format": f.image.format_name.upper(),
                },
                code="invalid_image_known_format",
            ) from None


class PhotoInput(forms.FileInput):
    """A file box that offers the phone's camera or its gallery, for images only."""

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", **(attrs or {})})


def photo_normalise(upload) -> ContentFile:
    """The stored copy of an uploaded photo: upright, at most MAX_SIDE, no metadata.

    ``upload`` has passed Wagtail's image field checks; its format is JPEG, PNG, WebP or
    HEIC. A picture that does not decode (cut short on a slow connection) is a
    ``ValidationError``, with the field's "not an image" message.
    """
    upload.seek(0)
    try:
        with PILImage.open(upload) as source:
            fmt, extension = OUTPUT.get(source.format, OUTPUT["JPEG"])
            if source.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when that still leaves MAX_SIDE: a 50 MP
                # photo then needs a few tens of MB, not 150.
                source.draft("RGB", (MAX_SIDE, MAX_SIDE))
            icc_profile = source.info.get("icc_profile")
            upright = ImageOps.exif_transpose(source)
            upright.thumbnail((MAX_SIDE, MAX_SIDE), PILImage.Resampling.LANCZOS)
    except Exception as error:  # noqa: BLE001  (any decoder's error: the file is unusable)
        raise ValidationError(NOT_A_PHOTO, code="invalid_image") from error
    if upright.mode not in MODES[fmt]:
        upright = upright.convert("RGB" if fmt == "JPEG" else "RGBA")
    # A fresh image carries no EXIF, XMP, comments or text chunks from the camera.
    clean = PILImage.new(upright.mode, upright.size)
    clean.paste(upright)
    options = {"optimize": True}
    if fmt in ("JPEG", "WEBP"):
        options["quality"] = JPEG_QUALITY
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = BytesIO()
    clean.save(buffer, format=fmt, **options)
    name = Path(getattr(upload, "name", "") or "anh").stem[:60] or "anh"
    return ContentFile(buffer.getvalue(), name=f"{name}.{extension}")
