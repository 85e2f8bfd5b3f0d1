"""A catalogue line is addressed, or dropped on a day (0006 dated every dropped line): the
database keeps the two fields from disagreeing."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hearings', '0003_recommendation_fts5'),
        ('tracker', '0007_user_names_and_emails_unique_in_any_case'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='followupline',
            constraint=models.CheckConstraint(condition=models.Q(('added_by__isnull', False), models.Q(('addressed', True), ('dropped_on__isnull', True)), models.Q(('addressed', False), ('dropped_on__isnull', False)), _connector='OR'), name='tracker_line_dropped_on_matches_addressed'),
        ),
    ]
