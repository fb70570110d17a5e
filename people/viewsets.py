from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views import users as wagtail_users

from people import access
from people.admin_forms import OrgUnitForm
from people.forms import INDENT, PersonCreationForm, PersonEditForm
from people.models import OrgUnit
from people.units import UnitError, deletion_blockers, save_unit


class DeletionByFormOnly:
    """A delete view that deletes only through its confirmation form (a POST).

    Django's DeleteView also deletes on an HTTP DELETE, straight through
    `object.delete()`, past Wagtail's logging and our own checks.
    """

    http_method_names = ["get", "post", "head", "options"]


class UserDeleteView(DeletionByFormOnly, wagtail_users.DeleteView):
    pass


class UserIndexView(wagtail_users.IndexView):
    """Those who may anonymise leavers reach the listing with its Anonymise button.

    Seeing the listing gives no other rights: editing and deleting users still
    need the user permissions.
    """

    def user_has_any_permission(self, permissions):
        return super().user_has_any_permission(permissions) or (
            access.can_anonymise_people(self.request.user)
        )


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = UserIndexView
    delete_view_class = UserDeleteView
    create_template_name = "people/user_create.html"
    edit_template_name = "people/user_edit.html"

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm

    @cached_property
    def menu_item_class(self):
        base = super().menu_item_class

        class UserMenuItem(base):
            def is_shown(self, request):
                return super().is_shown(request) or access.can_anonymise_people(
                    request.user
                )

        return UserMenuItem


class OrgUnitIndexView(generic.IndexView):
    default_ordering = "path"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
            .prefetch_related("managers")
        )


class _SaveInTree:
    """Create and edit views save through the tree service, not a plain save()."""

    def save_instance(self):
        data = self.form.cleaned_data
        return save_unit(
            self.form.instance,
            parent=data["parent_code"],
            managers=data["manager_emails"],
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except UnitError as error:
            form.add_error("parent_code", str(error))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class OrgUnitCreateView(_SaveInTree, generic.CreateView):
    pass


class OrgUnitEditView(_SaveInTree, generic.EditView):
    pass


class OrgUnitDeleteView(DeletionByFormOnly, generic.DeleteView):
    """Only an empty unit can be deleted: people and records are never lost."""

    def form_valid(self, form):
        blockers = deletion_blockers(self.object)
        if blockers:
            messages.error(
                self.request,
                " ".join([str(_("This unit cannot be deleted.")), *blockers]),
            )
            return redirect(self.index_url_name)
        return super().form_valid(form)


def _managers(unit):
    return ", ".join(str(manager) for manager in unit.managers.all()) or "–"


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    name = "org_units"
    icon = "group"
    menu_label = _("Organisation units")
    menu_order = 640
    add_to_admin_menu = True
    index_view_class = OrgUnitIndexView
    add_view_class = OrgUnitCreateView
    edit_view_class = OrgUnitEditView
    delete_view_class = OrgUnitDeleteView
    search_fields = ["name", "code"]
    search_backend_name = None
    list_per_page = 100
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return OrgUnitForm

    @property
    def list_display(self):
        return [
            TitleColumn(
                "name",
                label=_("Name"),
                accessor=lambda unit: INDENT * (unit.depth - 1) + unit.name,
                url_name=self.get_url_name("edit"),
            ),
            Column("code", label=_("Code")),
            Column("member_count", label=_("People")),
            Column("managers", label=_("Managers"), accessor=_managers),
        ]
