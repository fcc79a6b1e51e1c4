from django.apps import AppConfig


class UtvecklingConfig(AppConfig):
    name = "utveckling"
    verbose_name = "Utveckling av geografiskt område"

    def ready(self):
        from avdelningar import personal_data

        from . import services

        personal_data.register(
            title="kandidatbedömningar",
            extract=services.person_extract,
            anonymize=services.person_anonymize,
        )
