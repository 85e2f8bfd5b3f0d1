"""Password reset by e-mail, end to end: ask, receive the link, set a password, log in."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(client, mailoutbox):
    user = get_user_model().objects.create_user(
        "focal", email="focal@example.org", password="an-old-password-123"
    )
    response = client.post(reverse("password_reset"), {"email": "focal@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["focal@example.org"]
    assert "Your user name: focal" in mail.body
    link = re.search(r"https?://\S+(/auth/reset/\S+/)", mail.body)[1]

    form = client.get(link, follow=True)  # Django swaps the token for a session first
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-pass-456", "new_password2": "a-brand-new-pass-456"},
        follow=True,
    )
    assert "Your new password is set" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-brand-new-pass-456")

    reused = client.get(link, follow=True)
    assert "This link is invalid or has already been used" in reused.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []
