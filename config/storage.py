from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files that must never have a public URL (certificates): served by views only."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")
