from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from people.forms import PersonCreationForm, PersonEditForm


class UserViewSet(WagtailUserViewSet):
    create_template_name = "people/user_create.html"
    edit_template_name = "people/user_edit.html"

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm
