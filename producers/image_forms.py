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
from wagtail.images.forms import BaseImageForm
from wagtail.models import UploadedFile

from .portal.photos import photo_normalise


class ImageForm(BaseImageForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # A new file, already checked by WagtailImageField (JPEG, PNG, WebP or HEIC, size,
        # pixels); on an edit without one, the field holds the stored file, left alone.
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
