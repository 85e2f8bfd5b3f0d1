"""User names and e-mail addresses are unique without regard to case: a clear form error,
the database's own unique indexes, logging in in any case, and a migration that lists the
accounts already clashing instead of merging them."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tracker.models import Profile, Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
MIGRATION = ("tracker", "0007_user_names_and_emails_unique_in_any_case")
BEFORE = ("tracker", "0006_lines_followed_since_and_dropped_on")


@pytest.fixture
def coordinator(loaded_report):
    user = get_user_model().objects.create_user(
        "Coordinator", email="Coord@Example.org", password=PASSWORD
    )
    Profile.objects.create(user=user, role=Role.COORDINATOR)
    return user


def new_account(client, **fields):
    data = {"email": "new@example.org", "role": Role.VIEWER, "is_active": "on", **fields}
    return client.post(reverse("account-new"), data)


def test_the_form_refuses_a_user_name_taken_in_another_case(client, coordinator):
    client.force_login(coordinator)
    response = new_account(client, username="COORDINATOR")
    assert response.status_code == 200
    assert "This user name is taken." in response.context["form"].errors["username"]
    assert get_user_model().objects.filter(username__iexact="coordinator").count() == 1


def test_the_form_refuses_an_e_mail_address_taken_in_another_case(client, coordinator):
    client.force_login(coordinator)
    response = new_account(client, username="newcomer", email="coord@EXAMPLE.ORG")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["email"])
    assert "Another account has this e-mail address" in errors
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_an_account_keeps_its_own_e_mail_when_saved_again(client, coordinator):
    client.force_login(coordinator)
    viewer = get_user_model().objects.create_user("viewer", email="viewer@example.org")
    Profile.objects.create(user=viewer, role=Role.VIEWER)
    response = client.post(
        reverse("account-edit", args=[viewer.pk]),
        {"username": "viewer", "email": "Viewer@example.org", "role": Role.VIEWER,
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.email == "Viewer@example.org"


def test_the_database_keeps_names_and_addresses_unique_in_any_case(coordinator):
    User = get_user_model()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("coordinator")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("someone-else", email="COORD@example.org")
    # Blank addresses are not addresses: many accounts may have none.
    User.objects.create_user("no-mail-1", email="")
    User.objects.create_user("no-mail-2", email="")


def test_logging_in_takes_the_user_name_in_any_case(client, coordinator):
    response = client.post(
        reverse("login"), {"username": "cOORDINATOR", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert response.context["user"].pk == coordinator.pk


@pytest.mark.django_db(transaction=True)
def test_the_migration_lists_accounts_that_already_clash_and_changes_nothing(loaded_report):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    User = get_user_model()
    first = User.objects.create(username="Amina", email="amina@example.org")
    second = User.objects.create(username="amina", email="other@example.org")
    executor = MigrationExecutor(connection)
    with pytest.raises(RuntimeError) as refused:
        executor.migrate([MIGRATION])
    message = str(refused.value)
    assert f"Amina (id {first.pk})" in message
    assert f"amina (id {second.pk})" in message
    assert User.objects.filter(username__iexact="amina").count() == 2  # nothing merged
    second.username = "amina-2"
    second.save(update_fields=["username"])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="AMINA")
