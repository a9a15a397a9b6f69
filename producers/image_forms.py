"""Photos uploaded in the Wagtail admin are stored as the portal stores a producer's: upright,
at most ``MAX_SIDE`` pixels, with no EXIF, XMP or other metadata (so no farm's GPS position).

Staff often upload for households that cannot, straight from the phone that took the photo.
``ImageForm`` is Wagtail's image form base (``WAGTAILIMAGES_IMAGE_FORM_BASE``): the image add
and edit views, the chooser's upload tab and the multiple uploader all build their forms on it.
The multiple uploader keeps a file whose other fields did not validate as an ``UploadedFile``
until they do; ``normalise_held_upload`` cleans that file before it is stored.
"""

from django.core.files.uploadedfile import UploadedFile as IncomingFile
from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.models import UploadedFile

from .portal.photos import ReadableImageMixin, photo_normalise


class AdminImageField(ReadableImageMixin, WagtailImageField):
    """Wagtail's image field; a picture whose size cannot be read is "not an image"."""


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            # Wagtail builds the field with its own formfield callback; the subclass only
            # changes one check and holds no state of its own.
            field.__class__ = AdminImageField

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # A new file, already checked by the field (JPEG, PNG, WebP or HEIC, size, pixels); on
        # an edit without one, the field holds the stored file, left alone. One that does not
        # decode is refused here (photo_normalise raises the field's ValidationError).
        if isinstance(upload, IncomingFile):
            return photo_normalise(upload)
        return upload


@receiver(pre_save, sender=UploadedFile)
def normalise_held_upload(sender, instance, **kwargs):
    """An image waiting in the multiple uploader, before its file is written to storage."""
    file = instance.file
    if instance.pk is not None or not file or file._committed:
        return
    if instance.for_content_type and instance.for_content_type.model_class() is get_image_model():
        # The uploader stores a file here only once WagtailImageField accepted it.
        instance.file = photo_normalise(file.file)
