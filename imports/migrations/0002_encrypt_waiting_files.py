"""Files that waited for a confirm or a worker were kept as they came; they are now kept
encrypted and read only so (`imports.uploads.upload_content`, `imports.jobs`). Encrypt the
ones waiting when this is deployed, or their confirm would fail instead of importing. A file
the new code stored already (a server that ran it before this migration) is left as it is."""

from cryptography.fernet import InvalidToken
from django.db import migrations

from portal.crypto import content_decrypt, content_encrypt

WAITING = (("imports.ImportUpload", "content"), ("background.Job", "input"))


def _rewrite(apps, convert) -> None:
    for model, field in WAITING:
        rows = apps.get_model(model).objects.exclude(**{f"{field}__isnull": True})
        for row in rows.only("pk", field).iterator():
            converted = convert(bytes(getattr(row, field)))
            if converted is not None:
                setattr(row, field, converted)
                row.save(update_fields=[field])


def _encrypted(content: bytes) -> bytes | None:
    try:
        content_decrypt(content)
    except InvalidToken:
        return content_encrypt(content)
    return None  # encrypted already


def waiting_files_encrypt(apps, schema_editor) -> None:
    _rewrite(apps, _encrypted)


def waiting_files_decrypt(apps, schema_editor) -> None:
    _rewrite(apps, content_decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("background", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(waiting_files_encrypt, waiting_files_decrypt, elidable=True),
    ]
