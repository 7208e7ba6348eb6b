from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.models import Department

from .services import grants_sync_new_department


@receiver(post_save, sender=Department, dispatch_uid="grants_cover_new_department")
def department_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grants_sync_new_department(department=instance)
