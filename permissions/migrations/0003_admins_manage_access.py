"""Administrators hold the new capability «manage_access» on their departments, as
`grants_sync_user` would give it now."""

from django.db import migrations


def _forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Department = apps.get_model("portal", "Department")
    Grant = apps.get_model("permissions", "Grant")
    DepartmentUserObjectPermission = apps.get_model(
        "permissions", "DepartmentUserObjectPermission"
    )
    content_type, _created = ContentType.objects.get_or_create(
        app_label="portal", model="department"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="manage_access",
        defaults={"name": "Manage colleagues' access"},
    )
    wanted = set()
    for grant in Grant.objects.filter(role="admin").prefetch_related("departments"):
        departments = [d.pk for d in grant.departments.all()] or list(
            Department.objects.filter(customer_id=grant.customer_id).values_list("pk", flat=True)
        )
        wanted.update((grant.user_id, department_id) for department_id in departments)
    existing = set(
        DepartmentUserObjectPermission.objects.filter(permission=permission).values_list(
            "user_id", "content_object_id"
        )
    )
    DepartmentUserObjectPermission.objects.bulk_create(
        [
            DepartmentUserObjectPermission(
                user_id=user_id, permission=permission, content_object_id=department_id
            )
            for user_id, department_id in sorted(wanted - existing)
        ],
        batch_size=1000,
    )


def _backward(apps, schema_editor):
    DepartmentUserObjectPermission = apps.get_model(
        "permissions", "DepartmentUserObjectPermission"
    )
    DepartmentUserObjectPermission.objects.filter(
        permission__codename="manage_access", permission__content_type__model="department"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("permissions", "0002_grant_audit_event"),
        ("portal", "0016_department_manage_access"),
    ]

    operations = [migrations.RunPython(_forward, _backward)]
