"""Site-wide views that belong to no app."""

from django.http import Http404
from django.views.static import serve


def serve_media(request, path, document_root):
    """Uploaded files, when Django serves them (DJANGO_SERVE_MEDIA) instead of nginx.

    A name the file system cannot hold (too long, say) is simply not there: a 404, where
    Django's own view lets the OSError through as a 500.
    """
    try:
        return serve(request, path, document_root=document_root)
    except (OSError, ValueError) as error:
        raise Http404 from error
