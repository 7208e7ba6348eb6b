"""Egenerklæringer for staff who define them: a questionnaire with its questions inline.

Saving goes through `health.services.questionnaire_save`, so a questionnaire on which a
declaration was sent becomes its next version instead of changing. No answer is shown here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import StackedInline

from permissions.health import may_define_questionnaires
from portal.admin.actions import ServiceRefusalMixin, adopt_saved
from portal.admin.base import PortalModelAdmin, TextGuardAdminMixin

from .models import Question, Questionnaire
from .services import QuestionDraft, question_drafts_check, questionnaire_save


def _drafts(formset) -> list[QuestionDraft]:
    """The questions as the inline's rows give them: kept and new rows, not deleted ones."""
    drafts = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        instance = form.instance
        if instance.pk is None and not form.has_changed():
            continue
        parent = data.get("parent")
        drafts.append(
            QuestionDraft(
                key=str(instance.pk) if instance.pk else f"row-{index}",
                text=data.get("text") or "",
                kind=data.get("kind") or "",
                order=data.get("order") or 0,
                unit=data.get("unit") or "",
                required=bool(data.get("required")),
                choices=data.get("choices") or "",
                parent=str(parent.pk) if parent is not None else None,
                shown_on=data.get("shown_on") or "",
            )
        )
    return drafts


class QuestionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The service's own rules, said over the questions before anything is saved."""
        super().clean()
        if any(self.errors):
            return
        try:
            question_drafts_check(_drafts(self))
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class QuestionInline(TextGuardAdminMixin, StackedInline):
    model = Question
    formset = QuestionFormSet
    fk_name = "questionnaire"
    extra = 1
    verbose_name = gettext_lazy("Question")
    verbose_name_plural = gettext_lazy("Questions")
    fieldsets = [
        (None, {"fields": [("order", "kind", "required"), "text", ("unit", "choices")]}),
        (gettext_lazy("Follow-up question"), {"fields": [("parent", "shown_on")]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # A follow-up of a question of this questionnaire (a new one: after saving).
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Question.objects.filter(
                questionnaire_id=object_id if str(object_id or "").isdigit() else None,
                parent__isnull=True,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return may_define_questionnaires(request.user)

    def has_add_permission(self, request, obj=None):
        return may_define_questionnaires(request.user) and not (obj and obj.is_replaced())

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(ServiceRefusalMixin, PortalModelAdmin):
    list_display = ("name", "version", "is_active", "product_group_names")
    list_filter = ("is_active",)
    search_fields = ("name",)
    fields = ("name", "product_groups", "is_active", "version", "replaces", "created_by")
    readonly_fields = ("version", "replaces", "created_by")
    filter_horizontal = ()
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("product_groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "product_groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("product groups"))
    def product_group_names(self, obj):
        return ", ".join(group.name for group in obj.product_groups.all())

    # -- who may ---------------------------------------------------------------------------

    def has_module_permission(self, request):
        return may_define_questionnaires(request.user)

    def has_view_permission(self, request, obj=None):
        return may_define_questionnaires(request.user)

    def has_add_permission(self, request):
        return may_define_questionnaires(request.user)

    def has_change_permission(self, request, obj=None):
        """A replaced version is kept as it was, for the answers given on it: read only."""
        return may_define_questionnaires(request.user) and not (obj and obj.is_replaced())

    def has_delete_permission(self, request, obj=None):
        return False

    # -- saving through the service ----------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save of a version someone replaced while the form was open: said, and the newest
        version opened, instead of a refusal page."""
        if request.method == "POST" and object_id and self.has_add_permission(request):
            opened = self.get_object(request, object_id)
            newest = opened.newest_version() if opened is not None else None
            if newest is not None and newest != opened:
                messages.error(
                    request,
                    _(
                        "Version %(old)s was replaced by version %(new)s while you edited it; "
                        "your changes were not saved. Make them here."
                    )
                    % {"old": opened.version, "new": newest.version},
                )
                return redirect("admin:health_questionnaire_change", newest.pk)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing yet: the questionnaire and its questions are saved together, by the
        service, in `save_related`."""

    def save_related(self, request, form, formsets, change):
        formset = next(f for f in formsets if f.model is Question)
        # What Django's formset.save() would have noted, for the change message: the service
        # wrote the questions instead.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        before = form.instance.pk
        saved = questionnaire_save(
            actor=request.user,
            questionnaire=form.instance if change else None,
            name=form.cleaned_data["name"],
            product_groups=form.cleaned_data["product_groups"],
            is_active=form.cleaned_data["is_active"],
            questions=_drafts(formset),
        )
        adopt_saved(form.instance, saved)
        form.instance.version = saved.version
        if change and saved.pk != before:
            messages.info(
                request,
                _(
                    "Health declarations were sent on version %(old)s, so it is kept as it "
                    "was for them; your changes are version %(new)s."
                )
                % {"old": saved.version - 1, "new": saved.version},
            )
