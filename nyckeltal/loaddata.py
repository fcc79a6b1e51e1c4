"""Load data for `manage.py generate_load_data`: the entered key figures of every department
(in the project or not) for each of the ten years, through ``avdelningar.loaddata``'s bulk
insert; workplaces and clubs are the register's count (the generator's workplaces have no
history). Not used by the app itself."""

from avdelningar.loaddata import Ids, bulk_insert, reset_sequences

from .demo import figures
from .models import Nyckeltal


def seed(org, *, first_year, last_year):
    """Returns the number of department-years written."""
    ids, rows = Ids(Nyckeltal), []
    for avd in org["all_departments"]:
        joined = org["joined"].get(avd.nuts_omrade_id)
        for year in range(first_year, last_year + 1):
            maturity = year - joined + 1 if joined is not None and year >= joined else None
            values = figures(
                name=avd.name,
                year=year,
                members=avd.members.get(year, 5000),
                workplaces=avd.workplaces,
                clubs=avd.clubs,
                maturity=maturity,
            )
            rows.append({"id": ids.take(), "avdelning_id": avd.pk, "year": year, **values})
    bulk_insert(Nyckeltal, rows)
    reset_sequences([Nyckeltal])
    return len(rows)
