"""ETags and If-Match: the row's `version` (`portal.services.versions`) is its ETag, so a
system's update is saved only onto the version it read, as an edit form's is."""

from .problems import PreconditionFailed, PreconditionRequired


def etag_of(instance) -> str:
    return f'"{instance.version}"'


def if_match_version(request, instance) -> int:
    """The version the caller's If-Match names, when it is the row's current one: the service
    claims it again in its own transaction, so of two requests with the same ETag one wins.
    428 without If-Match; 412 when it names another version."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" in tags:
        return instance.version
    if etag_of(instance) not in tags:
        raise PreconditionFailed()
    return instance.version
