import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_swedish(client):
    r = client.get(reverse("login"))
    assert r.status_code == 200
    assert 'lang="sv"' in r.content.decode()
    assert "Användarnamn" in r.content.decode()


def test_start_page_shows_own_department_only(client, cast):
    client.force_login(cast.board)
    r = client.get(reverse("start"))
    body = r.content.decode()
    assert r.status_code == 200
    assert "Avdelning A1" in body
    assert "Avdelning A2" not in body and "Avdelning B1" not in body


def test_start_page_for_coordinator_lists_the_area(client, cast):
    client.force_login(cast.coordinator)
    body = client.get(reverse("start")).content.decode()
    assert "Avdelning A1" in body and "Avdelning A2" in body
    assert "Avdelning B1" not in body


def test_start_page_without_assignment_says_so(client, cast):
    client.force_login(cast.nobody)
    body = client.get(reverse("start")).content.decode()
    assert "inga aktuella uppdrag" in body


# The other roles' answers are the access table's (tests/security/tables/avdelningar.py).
@pytest.mark.parametrize(("who", "status"), [("changeleader", 200), ("nobody", 404)])
def test_department_page_by_role(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("avdelning", args=[cast.a1.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), [("nobody", 404)])
def test_area_page_by_role(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("omrade", args=["SE21"])).status_code == status


def test_unknown_department_is_404(client, cast):
    client.force_login(cast.leader)
    assert client.get(reverse("avdelning", args=[999999])).status_code == 404


def test_start_page_query_count_does_not_grow_with_departments(
    client, cast, django_assert_max_num_queries
):
    from tests import factories as f

    client.force_login(cast.leader)
    # 18: the assignments that begin later, the user's open next steps, and their open
    # actions from analysis meetings (larande).
    with django_assert_max_num_queries(18) as before:
        client.get(reverse("start"))
    for i in range(20):
        f.AvdelningFactory(name=f"Extra {i}", nuts_omrade=cast.se21)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("start"))
