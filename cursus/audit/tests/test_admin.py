import pytest
from django.test import Client
from django.urls import reverse

from cursus.core.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["pursuit", "auditrun", "auditsnapshot"])
def test_the_back_office_lists_audit_rows_without_letting_them_be_edited(client: Client, model):
    client.force_login(User.objects.create_superuser("root@example.org", "pw"))

    listing = client.get(reverse(f"admin:audit_{model}_changelist"))
    adding = client.get(reverse(f"admin:audit_{model}_add"))

    assert listing.status_code == 200
    assert adding.status_code == 403
