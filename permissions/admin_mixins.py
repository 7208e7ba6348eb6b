"""The scoped admin: every customer-facing ModelAdmin asks its model's access policy."""

from django.db.models import Model
from django.urls import reverse

from .capabilities import Capability
from .policies import DepartmentPolicy, policy_for, scope_choices
from .scoping import has_capability_anywhere, is_unscoped


class ScopedAdminMixin:
    """Rows and permissions of a customer-facing admin, decided by department capabilities.

    `view_capability` decides what a user sees; `change_capability` / `add_capability` what
    they may change or add (None: read-only for customer users). Customers never delete.
    """

    model: type[Model]
    view_capability: Capability
    change_capability: Capability | None = None
    add_capability: Capability | None = None
    #: Foreign keys staff choose by typing: they see every customer's rows, and a select of
    #: 10,000 departments makes a 700 KB page that takes a second to render.
    staff_autocomplete_fields: tuple[str, ...] = ()

    @property
    def policy(self) -> DepartmentPolicy:
        """The model's access policy: which rows, and which of them for which capability."""
        policy = policy_for(self.model)
        if policy is None:
            raise TypeError(f"{self.model._meta.label} has no access policy")
        return policy

    def get_queryset(self, request):
        return self.policy.narrow(super().get_queryset(request), request.user, self.view_capability)

    def _resolve(self, request, obj):
        """Unfold passes detail and submit-line actions a raw object id: fetch it through the
        scoped queryset, so another customer's id is the same as one that does not exist."""
        if obj is None or isinstance(obj, self.model):
            return obj
        return self.get_object(request, str(obj)) or False

    def _is_staff_view(self, request) -> bool:
        return is_unscoped(request.user, self.view_capability)

    def get_autocomplete_fields(self, request):
        fields = tuple(super().get_autocomplete_fields(request))
        if self.staff_autocomplete_fields and self._is_staff_view(request):
            return (*fields, *self.staff_autocomplete_fields)
        return fields

    def has_module_permission(self, request):
        if self._is_staff_view(request):
            return super().has_module_permission(request)
        return has_capability_anywhere(request.user, self.view_capability)

    def has_view_permission(self, request, obj=None):
        if self._is_staff_view(request):
            obj = self._resolve(request, obj)
            return obj is not False and super().has_view_permission(request, obj)
        if not has_capability_anywhere(request.user, self.view_capability):
            return False
        obj = self._resolve(request, obj)
        if obj is False:
            return False
        return obj is None or self.policy.allows(request.user, obj, self.view_capability)

    def _has_scoped(self, request, capability, obj=None) -> bool:
        if capability is None:
            return False
        if not has_capability_anywhere(request.user, capability):
            return False
        obj = self._resolve(request, obj)
        if obj is False:
            return False
        return obj is None or (
            self.policy.allows(request.user, obj, capability)
            and self.policy.allows(request.user, obj, self.view_capability)
        )

    def has_change_permission(self, request, obj=None):
        if self._is_staff_view(request):
            obj = self._resolve(request, obj)
            return obj is not False and super().has_change_permission(request, obj)
        return self._has_scoped(request, self.change_capability, obj)

    def has_add_permission(self, request, *args):
        if self._is_staff_view(request):
            return super().has_add_permission(request, *args)
        return self._has_scoped(request, self.add_capability)

    def has_delete_permission(self, request, obj=None):
        if self._is_staff_view(request):
            return super().has_delete_permission(request, obj)
        return False

    # -- a customer's form: one «Lagre» and «Avbryt», not the admin's four ways to save ------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if not self._is_staff_view(request):
            context.update(
                show_save_and_continue=False,
                show_save_and_add_another=False,
                show_save_as_new=False,
                show_delete=False,
            )
            if context.get("show_save", True) and "cancel_url" not in context:
                changelist = (
                    f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"
                )
                context["cancel_url"] = reverse(changelist)
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]

    # -- a customer's read-only page shows related rows as text, not as links to staff pages --

    def _plain(self, name):
        field = next((f for f in self.model._meta.fields if f.name == name), None)
        if field is None or not field.is_relation:
            return name
        cache = self.__dict__.setdefault("_plain_fields", {})
        if name not in cache:

            def show(obj, name=name):
                return str(getattr(obj, name) or "–")

            show.short_description = field.verbose_name
            show.__name__ = name
            cache[name] = show
        return cache[name]

    def _plain_view(self, request, obj) -> bool:
        return (
            obj is not None
            and not self._is_staff_view(request)
            and not self.has_change_permission(request, obj)
        )

    def get_fields(self, request, obj=None):
        """On a view-only page every field is read-only (Django's rule), so relations shown
        as text is all it takes."""
        fields = super().get_fields(request, obj)
        if self._plain_view(request, obj):
            return [self._plain(name) for name in fields]
        return fields

    def _form_capability(self, request, obj=None) -> Capability:
        if obj is None and self.add_capability:
            return self.add_capability
        return self.change_capability or self.view_capability

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Customers pick only among their own departments, contracts, employees, ..."""
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            obj = getattr(request, "_scoped_admin_obj", None)
            formfield.queryset = scope_choices(
                formfield.queryset, request.user, self._form_capability(request, obj)
            )
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = scope_choices(
                formfield.queryset, request.user, self._form_capability(request)
            )
        return formfield

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._scoped_admin_obj = obj
        return super().get_form(request, obj, change, **kwargs)
