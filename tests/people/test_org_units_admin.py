"""Training admins keep the organisation tree in the Wagtail admin."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from people.forms import INDENT
from people.models import OrgUnit
from people.units import UnitError, save_unit
from tests.helpers import translated

pytestmark = pytest.mark.django_db
INDEX_URL = reverse("org_units:index")
ADD_URL = reverse("org_units:add")


def _edit_url(unit):
    return reverse("org_units:edit", args=[unit.pk])


def _delete_url(unit):
    return reverse("org_units:delete", args=[unit.pk])


def _form(name, code, parent_code="", manager_emails=""):
    return {
        "name": name,
        "code": code,
        "parent_code": parent_code,
        "manager_emails": manager_emails,
    }


def _unit(code):
    return OrgUnit.objects.get(code=code)


def _parent_code(code):
    parent = _unit(code).get_parent(update=True)
    return parent.code if parent else None


def _tree():
    return {unit.code: _parent_code(unit.code) for unit in OrgUnit.objects.all()}


def _listed(response):
    return [unit.code for unit in response.context["object_list"]]


@pytest.fixture
def admin_client(client, training_admin):
    client.force_login(training_admin)
    return client


@pytest.fixture
def subteam(org):
    return _unit("TEAM-A").add_child(name="Alatiimi", code="TEAM-A1")


def test_the_index_lists_units_in_tree_order_with_indented_names(
    admin_client, org, subteam
):
    response = admin_client.get(INDEX_URL)
    assert response.status_code == 200
    assert _listed(response) == ["SECTOR", "TEAM-A", "TEAM-A1", "TEAM-B"]
    html = response.content.decode()
    assert f"{INDENT}Tiimi A" in html
    assert f"{INDENT * 2}Alatiimi" in html
    assert f"{INDENT}Toimiala" not in html


def test_the_index_searches_by_code_and_by_name(admin_client, org):
    by_code = admin_client.get(INDEX_URL, {"q": "team-b"})
    assert by_code.status_code == 200
    assert _listed(by_code) == ["TEAM-B"]
    by_name = admin_client.get(INDEX_URL, {"q": "tiimi"})
    assert _listed(by_name) == ["TEAM-A", "TEAM-B"]
    results = admin_client.get(reverse("org_units:index_results"), {"q": "Toimiala"})
    assert results.status_code == 200
    assert _listed(results) == ["SECTOR"]


def test_a_training_admin_creates_a_top_level_unit_and_a_child(admin_client, org):
    assert admin_client.get(ADD_URL).status_code == 200
    response = admin_client.post(ADD_URL, _form("Hallinto", "ADMIN"))
    assert response.status_code == 302
    assert _unit("ADMIN").is_root()
    response = admin_client.post(ADD_URL, _form("Talous", "FINANCE", "ADMIN"))
    assert response.status_code == 302
    assert _parent_code("FINANCE") == "ADMIN"
    assert _unit("ADMIN").get_children_count() == 1


def test_manager_emails_set_the_managers(admin_client, org, learner, manager):
    emails = " Learner@Example.org \n\nmanager@example.org\n"
    response = admin_client.post(ADD_URL, _form("Hallinto", "ADMIN", "", emails))
    assert response.status_code == 302
    assert set(_unit("ADMIN").managers.all()) == {learner, manager}
    response = admin_client.post(
        _edit_url(_unit("ADMIN")), _form("Hallinto", "ADMIN", "", "")
    )
    assert response.status_code == 302
    assert not _unit("ADMIN").managers.exists()


def test_editing_moves_a_unit_under_another(admin_client, org, subteam):
    response = admin_client.get(_edit_url(org.team_b))
    assert response.context["form"]["parent_code"].value() == "SECTOR"
    data = _form("Tiimi B", "TEAM-B", "TEAM-A", "")
    response = admin_client.post(_edit_url(org.team_b), data)
    assert response.status_code == 302
    assert _parent_code("TEAM-B") == "TEAM-A"
    assert _parent_code("TEAM-A1") == "TEAM-A"
    assert _unit("SECTOR").get_descendant_count() == 3


def test_editing_moves_a_subtree_to_the_top_level(admin_client, org, subteam):
    response = admin_client.post(_edit_url(org.team_a), _form("Tiimi A", "TEAM-A"))
    assert response.status_code == 302
    assert _unit("TEAM-A").is_root()
    assert _parent_code("TEAM-A1") == "TEAM-A"


def test_a_unit_cannot_be_moved_under_its_own_subunit(admin_client, org, subteam):
    before = _tree()
    data = _form("Toimiala", "SECTOR", "TEAM-A1")
    response = admin_client.post(_edit_url(org.sector), data)
    assert response.status_code == 200
    assert response.context["form"].errors["parent_code"] == [
        translated("A unit cannot be moved under itself or its own subunits.")
    ]
    assert _tree() == before


def test_the_tree_service_refuses_a_move_under_a_subunit(org, subteam):
    before = _tree()
    with pytest.raises(UnitError):
        save_unit(_unit("SECTOR"), parent=_unit("TEAM-A1"))
    assert _tree() == before


def _chain(depth):
    """Units one under another, `depth` levels deep; return the deepest."""
    unit = OrgUnit.add_root(name="Taso 1", code="LEVEL-1")
    for level in range(2, depth + 1):
        unit = unit.add_child(name=f"Taso {level}", code=f"LEVEL-{level}")
    return unit


def test_a_unit_cannot_be_added_below_the_deepest_level(admin_client, org):
    deepest = _chain(OrgUnit.deepest_level())
    response = admin_client.post(ADD_URL, _form("Liian syvä", "TOO-DEEP", deepest.code))
    assert response.status_code == 200
    assert response.context["form"].errors["parent_code"] == [
        translated("Units can be at most %(levels)s levels deep.")
        % {"levels": OrgUnit.deepest_level()}
    ]
    assert not OrgUnit.objects.filter(code="TOO-DEEP").exists()


def test_a_subtree_cannot_be_moved_where_it_would_sit_too_deep(
    admin_client, org, subteam
):
    almost = _chain(OrgUnit.deepest_level() - 1)
    before = _tree()
    response = admin_client.post(
        _edit_url(org.team_a), _form("Tiimi A", "TEAM-A", almost.code)
    )
    assert response.status_code == 200
    assert "parent_code" in response.context["form"].errors
    assert _tree() == before


def test_an_unknown_parent_code_is_a_form_error(admin_client, org):
    response = admin_client.post(ADD_URL, _form("Hallinto", "ADMIN", "NOPE"))
    assert response.status_code == 200
    assert response.context["form"].errors["parent_code"] == [
        translated("There is no unit with this code.")
    ]
    assert not OrgUnit.objects.filter(code="ADMIN").exists()


def test_an_unknown_manager_email_is_a_form_error(admin_client, org, manager):
    emails = "manager@example.org\nnobody@example.org"
    response = admin_client.post(ADD_URL, _form("Hallinto", "ADMIN", "", emails))
    assert response.status_code == 200
    [error] = response.context["form"].errors["manager_emails"]
    assert "nobody@example.org" in error
    assert "manager@example.org" not in error
    assert not OrgUnit.objects.filter(code="ADMIN").exists()


def test_an_empty_unit_can_be_deleted(admin_client, org):
    assert admin_client.get(_delete_url(org.team_b)).status_code == 200
    response = admin_client.post(_delete_url(org.team_b))
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(code="TEAM-B").exists()
    assert _unit("SECTOR").get_children_count() == 1


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("TEAM-A", "People belong to it (deactivated people included)."),
        ("SECTOR", "It has subunits."),
    ],
)
def test_a_unit_with_people_or_subunits_is_not_deleted(
    admin_client, org, learner, code, reason
):
    learner.is_active = False
    learner.save()
    response = admin_client.post(_delete_url(_unit(code)))
    assert response.status_code == 302
    assert response.url == INDEX_URL
    assert OrgUnit.objects.filter(code=code).exists()
    assert OrgUnit.objects.count() == 3
    [message] = get_messages(response.wsgi_request)
    assert translated("This unit cannot be deleted.") in str(message)
    assert translated(reason) in str(message)


def test_an_editor_is_sent_away_from_the_unit_admin(client, editor, org):
    client.force_login(editor)
    home = (302, reverse("wagtailadmin_home"))
    for url in (INDEX_URL, ADD_URL, _edit_url(org.team_a), _delete_url(org.team_b)):
        response = client.get(url)
        assert (response.status_code, response.get("Location")) == home
    for response in (
        client.post(ADD_URL, _form("Hallinto", "ADMIN")),
        client.post(_delete_url(org.team_b)),
        client.post(_edit_url(org.team_b), _form("Muutettu", "TEAM-B", "TEAM-A")),
    ):
        assert (response.status_code, response.get("Location")) == home
    assert OrgUnit.objects.count() == 3
    assert _unit("TEAM-B").name == "Tiimi B"
    assert _parent_code("TEAM-B") == "SECTOR"
