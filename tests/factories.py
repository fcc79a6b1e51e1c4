import datetime

import factory
from django.contrib.auth import get_user_model

from avdelningar.models import (
    Arbetsplats,
    Avdelning,
    Deltagande,
    Medlemsantal,
    NutsOmrade,
    Person,
    Roll,
    Uppdrag,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("test-password-123")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    user = factory.SubFactory(UserFactory)


class AvdelningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Avdelning

    name = factory.Sequence(lambda n: f"Avdelning {n}")
    nuts_omrade = factory.LazyFunction(lambda: NutsOmrade.objects.get(code="SE21"))


class DeltagandeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deltagande

    nuts_omrade = factory.LazyFunction(lambda: NutsOmrade.objects.get(code="SE21"))
    joined_on = datetime.date(2019, 1, 1)


class MedlemsantalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medlemsantal

    avdelning = factory.SubFactory(AvdelningFactory)
    year = 2024
    active_members = 1000


class ArbetsplatsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arbetsplats

    avdelning = factory.SubFactory(AvdelningFactory)
    name = factory.Sequence(lambda n: f"Arbetsplats {n}")


class UppdragFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Uppdrag

    person = factory.SubFactory(PersonFactory)
    role = Roll.STYRELSELEDAMOT
    start = datetime.date(2019, 1, 1)


def user_with_role(username, role, *, nuts=None, avdelning=None):
    person = PersonFactory(name=username.replace("_", " ").title(), user__username=username)
    UppdragFactory(person=person, role=role, nuts_omrade=nuts, avdelning=avdelning)
    return person.user
