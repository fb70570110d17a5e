"""The moderation workflow Wagtail creates is named in Finnish and Swedish."""

import pytest
from wagtail.models import Task, Workflow

pytestmark = pytest.mark.django_db


def test_the_default_workflow_and_its_task_have_our_names():
    names = set(Workflow.objects.values_list("name", flat=True)) | set(
        Task.objects.values_list("name", flat=True)
    )
    assert "Moderators approval" not in names
    assert "Moderaattorien hyväksyntä – Moderatorernas godkännande" in names
